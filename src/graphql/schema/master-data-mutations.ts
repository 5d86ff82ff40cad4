// (being written) — see the module's own header once filled in.
export {}
