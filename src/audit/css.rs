//! URLs that CSS makes the browser load.
