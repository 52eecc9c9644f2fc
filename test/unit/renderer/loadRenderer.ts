/**
 * Loads a renderer module (src-renderer/src/...) at run time through vitest's `@renderer` alias.
 *
 * Why not a plain import: these tests belong to the Node TypeScript project (tsconfig.node.json,
 * composite), which may not pull in renderer files — those are type-checked by tsconfig.web.json
 * with the DOM library. A computed specifier keeps the two projects apart; each test states the
 * small part of the module's shape it uses.
 */
export async function loadRenderer<T>(modulePath: string): Promise<T> {
  return (await import(/* @vite-ignore */ `@renderer/${modulePath}`)) as T
}
