export { type DeliveryOptions, deliverNotification } from './deliver.ts';
export { aiUsageReached, conflictOpened, driftFound, healthChanged, syncFailed } from './events.ts';
export { notify } from './notify.ts';
export {
  CreateSubscriptionBody,
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  SubscriptionView,
  viewOf,
} from './subscriptions.ts';
