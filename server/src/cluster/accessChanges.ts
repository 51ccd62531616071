/**
 * Changes of access (roles, memberships, locks, "everyone suggests", sessions) reach open
 * connections on every node at once, not only on the node that made them. Each node re-reads
 * access every KARTU_PERMISSION_REFRESH_MS anyway (PermissionWatcher); the bus makes it
 * immediate, and when Redis is away that re-read is what remains (decision 0018).
 */
import type { Bus } from './clusterBus.ts'

export const ACCESS_TOPIC = 'access'

/**
 * What to call after a change of access: re-reads this node's connections (`refresh`) and tells
 * the other nodes to do the same. Without a bus, `refresh` itself.
 */
export function accessChangesAcrossNodes(
  bus: Bus | null,
  refresh: () => Promise<void>,
): () => Promise<void> {
  if (!bus) return refresh
  bus.subscribe(ACCESS_TOPIC, {
    // This node's own change was applied when it was made.
    receive: (_data, from) => {
      if (from !== bus.nodeId) void refresh()
    },
    // Changes announced while Redis was away were missed: read now, not at the next poll.
    resync: () => void refresh(),
  })
  return () => {
    // Called once the change is committed (services/), so another node that re-reads at once
    // sees it. Published before this node's own refresh, not after it, which may take a while.
    bus.publish(ACCESS_TOPIC, {})
    return refresh()
  }
}
