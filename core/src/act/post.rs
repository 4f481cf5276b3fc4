//! The post a payload is built for: its text (the one the verdict was made
//! for) and what the service knows about it.

/// A post as given: the text and optional metadata. Nothing is checked
/// here; the payload builders check every field and name the one at fault.
///
/// ```
/// use inochi::act::Post;
///
/// let post = Post::new("死にたいなあ")
///     .url("https://sns.example/@yuki_no_hi/posts/1013")
///     .post_id("1013")
///     .account_id("yuki_no_hi")
///     .posted_at("2025-03-16T02:30:18+09:00");
/// assert_eq!(post.text, "死にたいなあ");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Post<'a> {
    /// The full text, exactly as classified.
    pub text: &'a str,
    /// The service's name (default: the URL's host).
    pub service: Option<String>,
    /// The post's URL.
    pub url: Option<String>,
    /// The post's id on the service.
    pub post_id: Option<String>,
    /// The poster's account id.
    pub account_id: Option<String>,
    /// When it was posted (RFC 3339).
    pub posted_at: Option<String>,
    /// When it was seen (RFC 3339; default: the payload's creation time).
    pub observed_at: Option<String>,
    /// Its language (BCP 47; default: detected from the script).
    pub language: Option<String>,
}

impl<'a> Post<'a> {
    /// A post with only its text.
    pub fn new(text: &'a str) -> Post<'a> {
        Post {
            text,
            ..Post::default()
        }
    }

    /// Sets the service's name.
    pub fn service(mut self, v: impl Into<String>) -> Post<'a> {
        self.service = Some(v.into());
        self
    }

    /// Sets the URL.
    pub fn url(mut self, v: impl Into<String>) -> Post<'a> {
        self.url = Some(v.into());
        self
    }

    /// Sets the post id.
    pub fn post_id(mut self, v: impl Into<String>) -> Post<'a> {
        self.post_id = Some(v.into());
        self
    }

    /// Sets the account id.
    pub fn account_id(mut self, v: impl Into<String>) -> Post<'a> {
        self.account_id = Some(v.into());
        self
    }

    /// Sets when it was posted (RFC 3339).
    pub fn posted_at(mut self, v: impl Into<String>) -> Post<'a> {
        self.posted_at = Some(v.into());
        self
    }

    /// Sets when it was seen (RFC 3339).
    pub fn observed_at(mut self, v: impl Into<String>) -> Post<'a> {
        self.observed_at = Some(v.into());
        self
    }

    /// Sets its language (BCP 47).
    pub fn language(mut self, v: impl Into<String>) -> Post<'a> {
        self.language = Some(v.into());
        self
    }
}
