//! Screen geometry: the one place where bounds are measured, compared and clipped.
//!
//! Bounds come from dumps, and a dump can say anything: `[-3000000000,0][3000000000,10]` is
//! read as `i32::MIN..i32::MAX`, and `right - left` of that overflows `i32` (a panic in debug
//! builds, a wrap to a negative width in release, which made a visible button vanish). So every
//! measurement here is exact in a wider type or saturating, and every other stage (importers,
//! encoder, reachability, the performer's target) asks these methods instead of doing its own
//! arithmetic on the four edges.

use super::Rect;

impl Rect {
    /// Width in pixels: 0 when inverted, `i32::MAX` when wider than an `i32` holds.
    pub fn width(&self) -> i32 {
        saturate(span(self.left, self.right))
    }

    /// Height in pixels: 0 when inverted, `i32::MAX` when taller than an `i32` holds.
    pub fn height(&self) -> i32 {
        saturate(span(self.top, self.bottom))
    }

    /// Whether the rectangle covers no pixel (the platform's "empty": right <= left or
    /// bottom <= top).
    pub fn is_empty(&self) -> bool {
        self.right <= self.left || self.bottom <= self.top
    }

    /// Area in square pixels, exact for any edges; 0 when empty.
    pub fn area(&self) -> u64 {
        u64::from(span(self.left, self.right)) * u64::from(span(self.top, self.bottom))
    }

    /// Whether the two rectangles share at least one pixel.
    pub fn intersects(&self, other: &Rect) -> bool {
        self.intersection(other).is_some()
    }

    /// The pixels both rectangles cover, or `None` when they share none.
    pub fn intersection(&self, other: &Rect) -> Option<Rect> {
        let shared = Rect {
            left: self.left.max(other.left),
            top: self.top.max(other.top),
            right: self.right.min(other.right),
            bottom: self.bottom.min(other.bottom),
        };
        (!shared.is_empty()).then_some(shared)
    }

    /// The centre point, for gestures; the top-left corner when inverted. Always inside the
    /// rectangle's edges, whatever they are.
    pub fn center(&self) -> (i32, i32) {
        (
            midpoint(self.left, self.right),
            midpoint(self.top, self.bottom),
        )
    }
}

/// The distance from `low` to `high`, 0 when `high` is not above `low`; exact (a `u32` holds
/// the distance between any two `i32`s).
fn span(low: i32, high: i32) -> u32 {
    if high > low { high.abs_diff(low) } else { 0 }
}

fn saturate(length: u32) -> i32 {
    i32::try_from(length).unwrap_or(i32::MAX)
}

/// Halfway from `low` to `high` (rounded towards `low`), `low` when `high` is not above it.
fn midpoint(low: i32, high: i32) -> i32 {
    // low + span / 2 lies between low and high, so the addition never saturates.
    low.saturating_add_unsigned(span(low, high) / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(left: i32, top: i32, right: i32, bottom: i32) -> Rect {
        Rect {
            left,
            top,
            right,
            bottom,
        }
    }

    const MIN: i32 = i32::MIN;
    const MAX: i32 = i32::MAX;

    #[test]
    fn ordinary_rectangles() {
        let r = rect(10, 20, 110, 220);
        assert_eq!((r.width(), r.height(), r.area()), (100, 200, 20_000));
        assert_eq!(r.center(), (60, 120));
        assert!(!r.is_empty());
    }

    #[test]
    fn the_widest_rectangle_has_a_size_an_area_and_a_centre() {
        let r = rect(MIN, MIN, MAX, MAX);
        assert_eq!((r.width(), r.height()), (MAX, MAX));
        assert_eq!(r.area(), u64::from(u32::MAX) * u64::from(u32::MAX));
        assert_eq!(r.center(), (-1, -1));
        assert!(!r.is_empty());
        let button = rect(MIN, 0, MAX, 10);
        assert_eq!(button.center(), (-1, 5));
        assert_eq!(button.height(), 10);
    }

    #[test]
    fn inverted_and_degenerate_rectangles_are_empty() {
        for r in [
            rect(MAX, 0, MIN, 10),
            rect(0, MAX, 10, MIN),
            rect(5, 5, 5, 50),
            rect(MAX, MAX, MAX, MAX),
            rect(MIN, MIN, MIN, MIN),
        ] {
            assert!(r.is_empty(), "{r:?}");
            assert_eq!((r.width().min(r.height()), r.area()), (0, 0), "{r:?}");
        }
        assert_eq!(rect(MAX, 7, MIN, 3).center(), (MAX, 7));
    }

    #[test]
    fn intersections_clip_to_the_shared_pixels() {
        let screen = rect(0, 0, 1080, 2400);
        let button = rect(MIN, 0, MAX, 10);
        assert!(button.intersects(&screen));
        assert_eq!(button.intersection(&screen), Some(rect(0, 0, 1080, 10)));
        assert_eq!(
            rect(-50, 2300, 50, MAX).intersection(&screen),
            Some(rect(0, 2300, 50, 2400))
        );
        assert_eq!(rect(MIN, 0, 0, 10).intersection(&screen), None);
        assert_eq!(rect(1080, 0, MAX, 10).intersection(&screen), None);
        assert_eq!(rect(MAX, 0, MIN, 10).intersection(&screen), None);
        assert!(!rect(MIN, MIN, MAX, -1).intersects(&screen));
    }
}
