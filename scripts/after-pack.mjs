// electron-builder's afterPack hook (see electron-builder.yml): flips the Electron fuses of the
// packaged binary before it is signed, so the shipped app cannot be turned into a general Node
// runtime or debugger, and loads only its own, integrity-checked app.asar.
//   RunAsNode off                       ELECTRON_RUN_AS_NODE=1 cannot make it run arbitrary scripts
//   EnableNodeOptionsEnvironmentVariable off   NODE_OPTIONS cannot inject --require
//   EnableNodeCliInspectArguments off   --inspect / --inspect-brk cannot attach a debugger
//   EnableEmbeddedAsarIntegrityValidation on   app.asar is checked against the hash in the binary
//   OnlyLoadAppFromAsar on              no app/ folder beside it is loaded instead
//   GrantFileProtocolExtraPrivileges off  file:// pages get no extra powers (the app is app://)
import path from 'node:path'
import fuses from '@electron/fuses'

const { flipFuses, FuseV1Options, FuseVersion } = fuses

export const FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false
}

/** The Electron executable electron-builder produced for this platform (what holds the fuse wire). */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return path.join(appOutDir, `${packager.appInfo.productFilename}.app`)
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`)
  return path.join(appOutDir, packager.executableName)
}

export async function afterPack(context) {
  const binary = electronBinaryPath(context)
  // An arm64 (or universal) macOS app must carry a valid ad-hoc signature once the binary changed.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && (context.arch === 3 || context.arch === 4) // Arch.arm64, Arch.universal
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature })
  process.stdout.write(`afterPack: fuses set on ${binary}\n`)
}
