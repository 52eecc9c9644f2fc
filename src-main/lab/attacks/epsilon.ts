/** ε's parser and formatter live in the contract (api/epsilon.ts); re-exported for the attack registry's index. */
export { parseEpsilon, formatEpsilon } from '../../api/epsilon'
