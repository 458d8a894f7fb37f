//! Paging as a stream, with a guard against a server that loops.
//!
//! Partner Center seek-pages with `continuationToken` (top level, or the `MS-ContinuationToken`
//! header of `links.next`): the next page repeats the request with `seekOperation=Next` and that
//! header. ARM pages with a `nextLink` whose query (`$skiptoken`) is replayed. Either way a token
//! seen before ends the stream with [`Error::PagingLoop`] instead of fetching forever.

use std::collections::HashSet;

use futures::{Stream, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::client::{Client, Request};
use super::models::Collection;
use crate::error::{Error, Result};

/// How to ask for the page after this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Partner Center seek paging.
    ContinuationToken(String),
    /// A next-page link (ARM); its query string is replayed on the same path.
    Link(String),
}

/// A response that is one page of a longer list.
pub trait Paged: DeserializeOwned + Send + 'static {
    type Item: Send + 'static;
    fn into_page(self) -> (Vec<Self::Item>, Option<Next>);
}

impl<T: DeserializeOwned + Send + 'static> Paged for Collection<T> {
    type Item = T;
    fn into_page(self) -> (Vec<T>, Option<Next>) {
        let next = self.next_token().map(Next::ContinuationToken);
        (self.items, next)
    }
}

/// ARM's list wrapper. Its property names differ between versions: `value`/`nextLink` and
/// `items`/`nextPageLink` (reference §12), so both are read.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmPage<T> {
    #[serde(alias = "items", default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(alias = "nextPageLink", default)]
    pub next_link: Option<String>,
}

impl<T: DeserializeOwned + Send + 'static> Paged for ArmPage<T> {
    type Item = T;
    fn into_page(self) -> (Vec<T>, Option<Next>) {
        (
            self.value,
            self.next_link.filter(|l| !l.is_empty()).map(Next::Link),
        )
    }
}

fn next_request<P>(first: &Request<P>, next: &Next) -> Result<Request<P>> {
    let mut req = first.clone();
    match next {
        Next::ContinuationToken(token) => {
            req.query
                .retain(|(k, _)| !k.eq_ignore_ascii_case("seekOperation"));
            req.query.push(("seekOperation".into(), "Next".into()));
            req.headers
                .retain(|(k, _)| !k.eq_ignore_ascii_case("MS-ContinuationToken"));
            req.headers
                .push(("MS-ContinuationToken".into(), token.clone()));
        }
        Next::Link(link) => {
            let base = url::Url::parse("http://placeholder/")
                .map_err(|e| Error::Invalid(e.to_string()))?;
            let url = base
                .join(link)
                .map_err(|e| Error::Invalid(format!("bad next-page link {link:?}: {e}")))?;
            req.query = url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        }
    }
    Ok(req)
}

fn token_of(next: &Next) -> &str {
    match next {
        Next::ContinuationToken(t) | Next::Link(t) => t,
    }
}

/// Every page of `first`'s collection, in order.
pub fn pages<P: Paged>(
    client: Client,
    first: Request<P>,
) -> impl Stream<Item = Result<Vec<P::Item>>> + Send {
    struct State<P> {
        client: Client,
        first: Request<P>,
        next: Option<Request<P>>,
        seen: HashSet<String>,
    }
    let state = State {
        client,
        next: Some(first.clone()),
        first,
        seen: HashSet::new(),
    };
    futures::stream::try_unfold(state, |mut st| async move {
        let Some(req) = st.next.take() else {
            return Ok(None);
        };
        let page: P = st.client.execute(&req).await?;
        let (items, next) = page.into_page();
        if let Some(next) = next {
            if !st.seen.insert(token_of(&next).to_string()) {
                return Err(Error::PagingLoop {
                    what: st.first.describe(),
                });
            }
            st.next = Some(next_request(&st.first, &next)?);
        }
        Ok(Some((items, st)))
    })
}

/// Every item of `first`'s collection, in order.
pub fn items<P: Paged>(
    client: Client,
    first: Request<P>,
) -> impl Stream<Item = Result<P::Item>> + Send {
    pages(client, first)
        .map_ok(|page| futures::stream::iter(page.into_iter().map(Ok)))
        .try_flatten()
}

/// Collect every item.
pub async fn collect_all<P: Paged>(client: &Client, first: Request<P>) -> Result<Vec<P::Item>> {
    pages(client.clone(), first).try_concat().await
}
