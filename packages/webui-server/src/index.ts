/**
 * @switchboard/webui-server: not implemented yet; this shell only reserves the package name and
 * its place in the dependency graph. See README.md for what it will hold.
 */
export {};
