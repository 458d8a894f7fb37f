//! A remembered window must come back where the user can reach it. After a monitor is
//! unplugged, or the screen layout changes, the saved position may be on no monitor at all;
//! [`on_screen`] moves such a window onto the nearest monitor that remains.

/// A rectangle in physical pixels (x, y of the top-left corner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    pub fn new(x: i32, y: i32, width: u32, height: u32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }
    fn right(&self) -> i64 {
        self.x as i64 + self.width as i64
    }
    fn bottom(&self) -> i64 {
        self.y as i64 + self.height as i64
    }
    /// Area shared with `other`, in pixels².
    fn overlap(&self, other: &Rect) -> i64 {
        let w = self.right().min(other.right()) - (self.x as i64).max(other.x as i64);
        let h = self.bottom().min(other.bottom()) - (self.y as i64).max(other.y as i64);
        w.max(0) * h.max(0)
    }
    fn distance2(&self, other: &Rect) -> i64 {
        let cx = |r: &Rect| r.x as i64 * 2 + r.width as i64;
        let cy = |r: &Rect| r.y as i64 * 2 + r.height as i64;
        (cx(self) - cx(other)).pow(2) + (cy(self) - cy(other)).pow(2)
    }
}

/// How much of the title bar must be visible for a window to count as reachable (px).
pub const MIN_VISIBLE: u32 = 64;

/// Where the window should be: `window` unchanged when at least a [`MIN_VISIBLE`]-pixel square
/// of its top edge (where the title bar is) lies on one of `monitors`; otherwise moved onto the
/// monitor that it overlaps most (or the nearest one), shrunk to fit it and centred there.
/// With no monitor known, or a window not laid out yet (no size), the window is left as it is.
pub fn on_screen(window: Rect, monitors: &[Rect]) -> Rect {
    if window.width == 0 || window.height == 0 {
        return window;
    }
    let title_bar = Rect::new(
        window.x,
        window.y,
        window.width,
        MIN_VISIBLE.min(window.height.max(1)),
    );
    let needed = (MIN_VISIBLE.min(window.width.max(1)) as i64)
        * (MIN_VISIBLE.min(window.height.max(1)) as i64);
    if monitors.is_empty() || monitors.iter().any(|m| title_bar.overlap(m) >= needed) {
        return window;
    }
    let Some(target) = monitors.iter().max_by(|a, b| {
        window
            .overlap(a)
            .cmp(&window.overlap(b))
            .then_with(|| window.distance2(b).cmp(&window.distance2(a)))
    }) else {
        return window;
    };
    let width = window.width.min(target.width);
    let height = window.height.min(target.height);
    Rect {
        x: target.x + ((target.width - width) / 2) as i32,
        y: target.y + ((target.height - height) / 2) as i32,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEFT: Rect = Rect {
        x: 0,
        y: 0,
        width: 1920,
        height: 1080,
    };
    const RIGHT: Rect = Rect {
        x: 1920,
        y: 0,
        width: 2560,
        height: 1440,
    };

    #[test]
    fn a_window_on_a_monitor_stays_where_it_was() {
        let w = Rect::new(100, 80, 1280, 800);
        assert_eq!(on_screen(w, &[LEFT, RIGHT]), w);
        // Straddling two monitors is the user's choice, not a problem.
        let straddling = Rect::new(1500, 100, 1280, 800);
        assert_eq!(on_screen(straddling, &[LEFT, RIGHT]), straddling);
        // Mostly off the bottom-right edge, but the title bar can still be grabbed.
        let edge = Rect::new(1800, 1000, 1280, 800);
        assert_eq!(on_screen(edge, &[LEFT]), edge);
    }

    #[test]
    fn a_window_left_on_an_unplugged_monitor_comes_back() {
        // Saved on the right-hand monitor, which is gone now.
        let w = Rect::new(2200, 200, 1280, 800);
        let back = on_screen(w, &[LEFT]);
        assert_eq!(back, Rect::new(320, 140, 1280, 800));
        assert_eq!(on_screen(back, &[LEFT]), back, "and then it stays");
    }

    #[test]
    fn a_window_larger_than_the_remaining_monitor_is_shrunk_to_fit() {
        let w = Rect::new(1920, 0, 2560, 1440);
        assert_eq!(on_screen(w, &[LEFT]), LEFT);
    }

    #[test]
    fn a_window_above_the_screen_with_only_its_bottom_visible_comes_back() {
        // The title bar is above the top edge: the window cannot be moved by the user.
        let w = Rect::new(100, -700, 1280, 800);
        let back = on_screen(w, &[LEFT]);
        assert!(back.y >= 0 && back.x >= 0, "{back:?}");
    }

    #[test]
    fn negative_monitor_coordinates_work() {
        let left_of_primary = Rect::new(-1920, 0, 1920, 1080);
        let w = Rect::new(-1500, 100, 1024, 700);
        assert_eq!(on_screen(w, &[left_of_primary, LEFT]), w);
        let back = on_screen(w, &[LEFT]);
        assert_eq!(back, Rect::new(448, 190, 1024, 700));
    }

    #[test]
    fn no_monitor_known_leaves_the_window_alone() {
        let w = Rect::new(5000, 5000, 800, 600);
        assert_eq!(on_screen(w, &[]), w);
        // Not laid out yet: nothing to move (GTK refuses a zero size).
        let not_laid_out = Rect::new(0, 0, 0, 0);
        assert_eq!(on_screen(not_laid_out, &[LEFT]), not_laid_out);
    }
}
