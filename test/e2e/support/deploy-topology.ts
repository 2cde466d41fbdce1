/**
 * Moved to test/support/emulators/deploy-topology.ts (test/gcp deploys the topology too). This
 * re-export keeps topology.ts's imports untouched while the emulator-starter move of another branch
 * lands beside it; import from test/support/emulators in new code.
 */
export * from '../../support/emulators/deploy-topology.ts';
