//! Rendering chosen pages, by their output file, rather than the whole site:
//! the pages a browser asks the preview server for ([`PageRenderer`]), and
//! the pages whose broken links a build reports ([`render_files`]).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use minijinja::Environment;

use super::environment::{environment, Globals};
use super::items::Views;
use super::{jobs, page_path, render, Job, Pages, Purpose};
use crate::diagnostics::Failure;
use crate::site::{self, Site};
use crate::theme::Theme;

/// Renders the pages at the output files `files` (as [`PageRenderer::render`]
/// names them), each with its path; files that are no page are left out.
pub fn render_files(site: &Site, theme: &Theme, files: &[String]) -> Result<Vec<(String, String)>, Failure> {
    let (env, globals) = environment(site, theme)?;
    let views = Views::new(site);
    let pages = Pages::new(site, theme, &views, &globals, Purpose::Publish);
    let wanted: HashSet<&str> = files.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for job in jobs(site) {
        let file = site::file_of(&page_path(&job, site));
        if wanted.contains(file.as_str()) {
            let html = render(&env, pages.page(&job)?, theme)?;
            out.push((file, html));
        }
    }
    Ok(out)
}

/// Renders the pages of one site one at a time, when asked: the preview
/// server renders only the pages a browser requests. What every page shares
/// (templates, lists of procedures) is made once, in [`PageRenderer::new`].
///
/// ```no_run
/// # fn show(site: niemyet::site::Site, theme: niemyet::theme::Theme) -> Result<(), niemyet::diagnostics::Failure> {
/// use std::sync::Arc;
/// let renderer = niemyet::render::PageRenderer::new(Arc::new(site), Arc::new(theme))?;
/// if let Some(html) = renderer.render("thu-tuc/dang-ky/index.html") {
///     println!("{}", html?);
/// }
/// # Ok(()) }
/// ```
pub struct PageRenderer {
    site: Arc<Site>,
    theme: Arc<Theme>,
    env: Environment<'static>,
    globals: Globals,
    views: Views,
    /// Every page, by its site path.
    jobs: HashMap<String, Job>,
}

impl PageRenderer {
    /// Prepares the templates and what every page shares. Fails when a
    /// template does not compile.
    pub fn new(site: Arc<Site>, theme: Arc<Theme>) -> Result<PageRenderer, Failure> {
        let (env, globals) = environment(&site, &theme)?;
        let views = Views::new(&site);
        let jobs = jobs(&site).into_iter().map(|job| (page_path(&job, &site), job)).collect();
        Ok(PageRenderer { site, theme, env, globals, views, jobs })
    }

    /// Renders the page at the output file `file`, such as
    /// "thu-tuc/dang-ky/index.html" or "404.html"; `None` when the site has
    /// no page there.
    pub fn render(&self, file: &str) -> Option<Result<String, Failure>> {
        let folder = file.strip_suffix("index.html").filter(|f| f.is_empty() || f.ends_with('/'));
        let job = folder
            .and_then(|folder| self.jobs.get(&format!("/{folder}")))
            .or_else(|| self.jobs.get(&format!("/{file}")))?;
        let pages = Pages::new(&self.site, &self.theme, &self.views, &self.globals, Purpose::Publish);
        Some(pages.page(job).and_then(|page| render(&self.env, page, &self.theme)))
    }
}
