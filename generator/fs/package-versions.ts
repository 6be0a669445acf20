import { createHash } from 'node:crypto'

/**
 * A package written with one commit point: its content files live in a version folder named
 * from their hash, and one small file (the commit file, `package.json` for the client) names
 * that folder. Readers resolve the package through the commit file, which is replaced by one
 * rename once the new version folder is whole: before it they read the old version, after it
 * the new one, never a mix.
 */
export interface PackageVersions {
  /** The version folder of this write, at the top of the output folder: `v-<hash>`. */
  folder: string
  /** Written last, by one rename: it names the version folder readers use. */
  commit: string
  /** Files at the top that re-export a version's entry (for imports by path): each rewritten, whole, once its version is whole. */
  pointers: ReadonlyMap<string, (folder: string) => string>
  /** The version folder a commit file names: `''` for a package without version folders, undefined when it names none. */
  committedFolder(text: string): string | undefined
}

const VERSION_FOLDER = /^v-[0-9a-f]{12}$/

/** The version folder of files: `v-` and 12 hex digits of a SHA-256 over their sorted paths and contents. */
export function versionFolderName(files: ReadonlyMap<string, string | Uint8Array>): string {
  const hash = createHash('sha256')
  for (const path of [...files.keys()].sort()) {
    const content = Buffer.from(files.get(path)!)
    // Lengths first: no two different sets of files hash the same bytes.
    hash.update(`${Buffer.byteLength(path)}:${path}:${content.length}:`).update(content)
  }
  return `v-${hash.digest('hex').slice(0, 12)}`
}

/** The version folder a path of the output folder is in, or undefined for a file at the top or in another folder. */
export function versionFolderOf(path: string): string | undefined {
  const first = path.split('/', 1)[0]!
  return path.includes('/') && VERSION_FOLDER.test(first) ? first : undefined
}

export interface VersionPlan {
  /** The version folder readers resolve to now: `''` for files at the top, undefined when none is named. */
  current: string | undefined
  /** The older version kept whole beside the new one, for a reader that resolved the package just before the last commit. */
  kept: string | undefined
  /** Listed files kept through this run (the kept version's), besides the new package's. */
  keep: string[]
  /**
   * Listed files of versions no reader resolves to any more, removed before the new version is
   * written: so no more than two version folders are ever listed or on disk.
   */
  removeFirst: string[]
}

/**
 * Which versions a run keeps. The version the package names now is kept when the run commits
 * another (readers may be inside it); when the run changes nothing, the one other version
 * listed stays too, so that an unchanged package is left exactly as it is. Any further
 * version is removed.
 */
export function planVersions(listed: readonly string[], current: string | undefined, folder: string): VersionPlan {
  const others = [...new Set(listed.map(versionFolderOf))].filter((f): f is string => f !== undefined && f !== folder && f !== current)
  const committed = current !== undefined && current !== ''
  const kept = committed && current !== folder ? current : current === folder && others.length === 1 ? others[0] : undefined
  const keep = kept === undefined ? [] : listed.filter((path) => versionFolderOf(path) === kept)
  // With no version named, a pointer may still lead into any listed version: remove them only after the pointers are rewritten.
  const removeFirst = committed
    ? listed.filter((path) => {
        const f = versionFolderOf(path)
        return f !== undefined && f !== folder && f !== current && f !== kept
      })
    : []
  return { current, kept, keep, removeFirst }
}
