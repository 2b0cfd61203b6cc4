/** @mianzheng/provider — the data-sharing provider node (数据共享提供节点) and protocol MZX1. */
export { startProviderNode, type ProviderNode, type NodeStats, type StartOptions } from './node/server.ts';
export {
  loadNodeConfig, parseNodeConfig, nodeConfigWarnings, NodeConfigError,
  type NodeConfig, type ItemConfig, type ItemBinding, type ConsumerConfig, type ConsumerKey, type SourceConfig, type NoRecordMarker, type FieldRule, type AsOfRule,
} from './node/config.ts';
export { loadOrCreateNodeKey, type NodeKey } from './node/keys.ts';
export { scanTrail, scanTrailSet, trailArchives, Trail, type TrailEntry, type TrailRecord, type TrailCheck } from './node/trail.ts';
export * from './protocol/index.ts';
