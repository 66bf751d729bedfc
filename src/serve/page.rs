//! The explorer page, compiled into the binary: nothing is fetched at run time, and the page
//! draws its charts itself as SVG (no third-party code).

pub const INDEX: &str = include_str!("../../assets/explorer/index.html");
pub const APP: &str = include_str!("../../assets/explorer/app.js");
pub const STYLE: &str = include_str!("../../assets/explorer/style.css");

pub const HTML: &str = "text/html; charset=utf-8";
pub const JS: &str = "text/javascript; charset=utf-8";
pub const CSS: &str = "text/css; charset=utf-8";
