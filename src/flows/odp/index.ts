/**
 * Datapath flows as OVS 3.1 writes them (`ovs-appctl dpctl/dump-flows -m`): the typed model, the
 * parser and formatter, derived ufids and port-name resolution. See flow-text.ts for the contract.
 */
export * from './model';
export { OdpFormatError, OdpParseError, UnknownPortError } from './errors';
export { parseFlow, formatFlow, parseMatch, formatMatch, parseActions, parseDump, type DumpLineError } from './flow-text';
export { formatActions, formatAction, type FormatActionsOptions } from './action-format';
export { formatKeyAttr } from './key-format';
export { deriveUfid, withUfid, UFID_NAMESPACE } from './ufid';
export { parseDpctlShow, portNumbers, portNames, resolvePortNames, namePorts, mapFlowPorts, type DpPort, type DpShow } from './ports';
export { findKey, isDrop, isMaskedSet, type KeyOfKind } from './queries';
export {
  formatIpv4, formatIpv6, formatMac, ipv6FromBytes, ipv6ToBytes, isIpv6AllOnes, isIpv6AllZeros, MAC_ALL_ONES, macFromBytes, macToBytes,
} from './addr';
