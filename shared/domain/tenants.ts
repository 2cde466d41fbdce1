/**
 * The tenant the bootstrap admin token belongs to. Reserved: a key of a tenant with this name would
 * see (and act on) the admin's links, so no key can be created for it and none authenticates as it.
 */
export const ADMIN_TENANT = 'default';

export const RESERVED_TENANT_RULE = `"${ADMIN_TENANT}" is reserved for the admin token`;
