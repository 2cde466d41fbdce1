import ts from 'typescript';

/** An argument (`name = value`) of a resource or block, as the provider's schema declares it. */
interface ArgumentSchema {
  required: boolean;
}

/** A nested block (`name { ... }`): whether one must be written, whether more than one may be. */
interface NestedBlockSchema {
  required: boolean;
  many: boolean;
  schema: BlockSchema;
}

export interface BlockSchema {
  arguments: Map<string, ArgumentSchema>;
  blocks: Map<string, NestedBlockSchema>;
}

/** One field of a `*ToHclTerraform` function (or the class's synthesizeHclAttributes). */
interface HclField {
  snake: string;
  camel: string;
  isBlock: boolean;
  /** The struct of a block: the interface its `fooToHclTerraform` function takes, `Foo`. */
  struct?: string;
}

/** Interface name → property (camelCase) → whether it is optional and whether it takes a list. */
type Interfaces = Map<string, Map<string, { optional: boolean; many: boolean }>>;

const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function parse(file: string, text: string, kind: ts.ScriptKind): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

/** The first `const attrs = { ... }` literal under a function or method body. */
function attrsLiteral(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  if (
    ts.isVariableDeclaration(node) &&
    node.name.getText() === 'attrs' &&
    node.initializer &&
    ts.isObjectLiteralExpression(node.initializer)
  ) {
    return node.initializer;
  }
  return ts.forEachChild(node, attrsLiteral);
}

/**
 * `push_endpoint: { value: cdktf.stringToHclTerraform(struct.pushEndpoint), isBlock: false, ... }`
 * and `oidc_token: { value: fooOidcTokenToHclTerraform(struct.oidcToken), isBlock: true, ... }`.
 */
function hclFields(literal: ts.ObjectLiteralExpression): HclField[] {
  return literal.properties.filter(ts.isPropertyAssignment).map((entry) => {
    const snake = entry.name.getText();
    const spec = entry.initializer;
    if (!ts.isObjectLiteralExpression(spec)) throw new Error(`${snake}: unexpected generated code`);
    const prop = (name: string) =>
      spec.properties.find(
        (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === name,
      )?.initializer;
    let camel: string | undefined;
    let struct: string | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) {
        const target = node.expression;
        if (target.kind === ts.SyntaxKind.ThisKeyword || target.getText() === 'struct') {
          camel ??= node.name.text.replace(/^_/, '');
        }
      } else if (ts.isIdentifier(node) && node.text.endsWith('ToHclTerraform')) {
        // The module's own fooToHclTerraform, not cdktf.stringToHclTerraform and its kind.
        const member = ts.isPropertyAccessExpression(node.parent) && node.parent.name === node;
        if (!member) struct = capitalize(node.text.slice(0, -'ToHclTerraform'.length));
      }
      ts.forEachChild(node, visit);
    };
    const value = prop('value');
    if (value) visit(value);
    if (camel === undefined) throw new Error(`${snake}: no struct property in ${value?.getText()}`);
    const isBlock = prop('isBlock')?.kind === ts.SyntaxKind.TrueKeyword;
    return { snake, camel, isBlock, ...(isBlock ? { struct } : {}) };
  });
}

interface GeneratedModule {
  /** Block struct name → its fields. */
  structs: Map<string, HclField[]>;
  /** The resource (or data source) class's own fields, checked against its `<Class>Config`. */
  root?: { config: string; fields: HclField[] };
  resourceType?: string;
}

function readJs(text: string): GeneratedModule {
  // Every generated module ends with an inline source map as large as the code: not needed here.
  const map = text.lastIndexOf('//# sourceMappingURL=');
  const code = map === -1 ? text : text.slice(0, map);
  const module: GeneratedModule = { structs: new Map() };
  for (const statement of parse('index.js', code, ts.ScriptKind.JS).statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text.endsWith('ToHclTerraform')) {
      const literal = attrsLiteral(statement);
      const name = capitalize(statement.name.text.slice(0, -'ToHclTerraform'.length));
      module.structs.set(name, literal ? hclFields(literal) : []);
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      const method = statement.members.find((m) => m.name?.getText() === 'synthesizeHclAttributes');
      const literal = method && attrsLiteral(method);
      if (literal) module.root = { config: `${statement.name.text}Config`, fields: hclFields(literal) };
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
      const { left, right } = statement.expression;
      if (left.getText().endsWith('.tfResourceType') && ts.isStringLiteral(right)) {
        module.resourceType = right.text;
      }
    }
  }
  return module;
}

/** `readonly name: string;` is required, `readonly labels?: ...` optional, `Foo[] | IResolvable` a list. */
function readDts(text: string): Interfaces {
  const interfaces: Interfaces = new Map();
  for (const statement of parse('index.d.ts', text, ts.ScriptKind.TS).statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const props = new Map<string, { optional: boolean; many: boolean }>();
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const type = member.type;
      const many =
        ts.isArrayTypeNode(type) || (ts.isUnionTypeNode(type) && type.types.some(ts.isArrayTypeNode));
      props.set(member.name.getText(), { optional: member.questionToken !== undefined, many });
    }
    interfaces.set(statement.name.text, props);
  }
  return interfaces;
}

/**
 * The schema of one resource or data source from its generated module: which snake_case names are
 * arguments and which are blocks (the `*ToHclTerraform` functions' `isBlock`), which are required
 * (no `?` in the `*Config` interface and the block structs) and which blocks may repeat (`Foo[]`).
 * Code this does not understand throws, so a new generator shape cannot pass everything silently.
 */
export function readGeneratedSchema(js: string, dts: string): { type?: string; schema: BlockSchema } {
  const { structs, root, resourceType } = readJs(js);
  const interfaces = readDts(dts);
  if (root === undefined) throw new Error('no resource class with synthesizeHclAttributes');
  const build = (struct: string, fields: HclField[] | undefined, seen: string[]): BlockSchema => {
    const props = interfaces.get(struct);
    if (!fields || !props) throw new Error(`no generated struct ${struct}`);
    if (seen.includes(struct)) throw new Error(`recursive struct ${struct}`);
    const schema: BlockSchema = { arguments: new Map(), blocks: new Map() };
    for (const field of fields) {
      const prop = props.get(field.camel);
      if (!prop) throw new Error(`${struct} has no property ${field.camel} (${field.snake})`);
      if (!field.isBlock) {
        schema.arguments.set(field.snake, { required: !prop.optional });
        continue;
      }
      if (field.struct === undefined) throw new Error(`${struct}.${field.snake}: block without a struct`);
      const nested = build(field.struct, structs.get(field.struct), [...seen, struct]);
      schema.blocks.set(field.snake, { required: !prop.optional, many: prop.many, schema: nested });
    }
    return schema;
  };
  return { ...(resourceType ? { type: resourceType } : {}), schema: build(root.config, root.fields, []) };
}
