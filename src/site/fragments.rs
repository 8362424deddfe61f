//! Per-plan pieces of the shared pages and files, and the cache that keeps
//! them across the versions of one `build --versions`.
//!
//! The home page, the check page and the changelog list one item per plan
//! (or per update). Each item is rendered on its own with the theme's
//! partial template (`card.html`, `plan_check.html`, `update.html`) and the
//! page template places the results. An old version shares most of its
//! plans with the versions around it, so with a [`Fragments`] cache each
//! distinct item is rendered once for all of them rather than once per
//! version; calendar events and home-page card views are cached the same
//! way. Items are looked up by [`PlanFile::key`](crate::model::PlanFile)
//! (which covers the plan's bytes, path and book.toml) and the renderer's
//! [`scope`](Renderer::scope) (its theme and site values); plans with key 0
//! are not cached.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use anyhow::Result;

use super::Renderer;
use crate::state::State;

#[derive(Default)]
pub(crate) struct Fragments {
    calendar: Mutex<HashMap<(u64, String), Arc<str>>>,
    /// By plan key and the plan's error, warning and info counts.
    cards: Mutex<HashMap<CardKey, tera::Value>>,
    /// Feed entries' HTML content by (plan key, update index).
    feed_html: Mutex<HashMap<(u64, usize), Arc<str>>>,
    /// Rendered items by [`ItemKey`].
    items: Mutex<HashMap<ItemKey, Arc<str>>>,
}

/// A rendered item's cache key: the renderer's scope, the item template
/// and the item's own key.
type ItemKey = (u64, &'static str, u64);

/// A home-page card's cache key: the plan's key, its error/warning/info
/// counts and its state.
pub(super) type CardKey = (u64, [usize; 3], State);

impl Fragments {
    /// The calendar events cached under `key`, made now if missing.
    pub(super) fn calendar(&self, key: (u64, String), make: impl FnOnce() -> String) -> Arc<str> {
        cached(&self.calendar, key, || make().into())
    }

    /// The HTML content of a feed entry, made now if missing.
    pub(super) fn feed_html(
        &self,
        key: (u64, usize),
        make: impl FnOnce() -> anyhow::Result<String>,
    ) -> anyhow::Result<Arc<str>> {
        try_cached(&self.feed_html, key, || make().map(Into::into))
    }

    /// The home-page card cached under `key`, made now if missing (tera
    /// values share their contents, so a hit is cheap to hand out).
    pub(super) fn card(&self, key: CardKey, make: impl FnOnce() -> tera::Value) -> tera::Value {
        cached(&self.cards, key, make)
    }
}

/// The value under `key` in a map shared between threads, made (outside the
/// lock) and kept if missing.
pub(crate) fn cached<K: Eq + Hash, V: Clone>(
    map: &Mutex<HashMap<K, V>>,
    key: K,
    make: impl FnOnce() -> V,
) -> V {
    match try_cached(map, key, || Ok::<V, std::convert::Infallible>(make())) {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

/// [`cached`] for a value whose making can fail: a failure is returned and
/// not kept.
fn try_cached<K: Eq + Hash, V: Clone, E>(
    map: &Mutex<HashMap<K, V>>,
    key: K,
    make: impl FnOnce() -> Result<V, E>,
) -> Result<V, E> {
    if let Some(hit) = map.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(hit);
    }
    let value = make()?;
    if let Ok(mut m) = map.lock() {
        m.insert(key, value.clone());
    }
    Ok(value)
}

/// A hash of `t` for cache keys (stable within one run): the fragments'
/// keys here, and the parse and page keys of `build --versions`.
pub(crate) fn key_of<T: Hash>(t: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// One item of a list page and how to render it.
pub(super) struct Item<'a> {
    /// The partial template, e.g. `card.html`.
    pub template: &'static str,
    /// What the partial calls the item, e.g. `p`.
    pub name: &'static str,
    /// The path from the page to the site's root.
    pub root: &'a str,
    /// The item's cache key, or `None` where it cannot be cached.
    pub key: Option<u64>,
}

impl Renderer {
    /// `item` rendered with its partial template (the view made by `view`
    /// only when the item is not in `fragments`), as a string the page
    /// template places without escaping.
    pub(super) fn item(
        &self,
        item: &Item<'_>,
        fragments: Option<&Fragments>,
        view: impl FnOnce() -> tera::Value,
    ) -> Result<tera::Value> {
        let render = || -> Result<Arc<str>> {
            let mut ctx = self.item_ctx(item.root);
            ctx.insert_value(item.name, view());
            let bytes = self.render(item.template, &ctx)?;
            Ok(String::from_utf8(bytes)?.into())
        };
        let html = match fragments.zip(item.key) {
            Some((f, key)) => try_cached(&f.items, (self.scope, item.template, key), render)?,
            None => render()?,
        };
        Ok(tera::Value::safe_string(&html))
    }
}
