// Types of after-pack.mjs, for the unit test that runs it (test/unit/security/fuses.test.ts).
export declare const FUSES: { version: string } & Record<number, boolean>
export interface PackContextLike {
  appOutDir: string
  electronPlatformName: string
  arch?: number
  packager: { executableName?: string; appInfo: { productFilename: string } }
}
export declare function electronBinaryPath(context: PackContextLike): string
export declare function afterPack(context: PackContextLike): Promise<void>
