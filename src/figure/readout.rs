//! What the charts show under the pointer and the keyboard (issue 29): the point nearest a
//! pointer, the next point for a key, a curve's value between its points. Pure; the UI renders.

/// The SVG x (user units) of a pointer at `client_x` over an SVG drawn `width` px wide from
/// `left`, whose viewBox is `view_width` wide and starts at 0 (scaled uniformly, as the charts
/// are). `None` for a box that is not drawn.
pub fn pointer_x(client_x: f64, left: f64, width: f64, view_width: f64) -> Option<f64> {
    (width > 0.0 && width.is_finite() && client_x.is_finite()).then(|| (client_x - left) / width * view_width)
}

/// The index of the value in `xs` nearest to `x` (the first of equals); `None` when there is none.
pub fn nearest(xs: impl IntoIterator<Item = f64>, x: f64) -> Option<usize> {
    xs.into_iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .fold(None, |best: Option<(usize, f64)>, (i, v)| {
            let d = (v - x).abs();
            match best {
                Some((_, bd)) if bd <= d => best,
                _ => Some((i, d)),
            }
        })
        .map(|(i, _)| i)
}

/// The readout's next point for a key on a chart of `len` points: left and right step, Home and
/// End jump; from nothing, right starts at the first point and left at the last. `None`: not
/// a key the chart handles (the page keeps it).
pub fn step_key(key: &str, current: Option<usize>, len: usize) -> Option<usize> {
    let last = len.checked_sub(1)?;
    let current = current.map(|i| i.min(last));
    match key {
        "ArrowRight" => Some(current.map_or(0, |i| (i + 1).min(last))),
        "ArrowLeft" => Some(current.map_or(last, |i| i.saturating_sub(1))),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// The next cell of a `rows` x `cols` grid for a key: arrows move one cell (stopping at the
/// edges), Home and End go to the row's ends. `None`: not a key the grid handles.
pub fn grid_key(key: &str, (row, col): (usize, usize), rows: usize, cols: usize) -> Option<(usize, usize)> {
    let (last_row, last_col) = (rows.checked_sub(1)?, cols.checked_sub(1)?);
    let (row, col) = (row.min(last_row), col.min(last_col));
    match key {
        "ArrowRight" => Some((row, (col + 1).min(last_col))),
        "ArrowLeft" => Some((row, col.saturating_sub(1))),
        "ArrowDown" => Some(((row + 1).min(last_row), col)),
        "ArrowUp" => Some((row.saturating_sub(1), col)),
        "Home" => Some((row, 0)),
        "End" => Some((row, last_col)),
        _ => None,
    }
}

/// A drawn line's value at `x`: the value of its point there (`exact`), or read off the
/// straight segment between its two points around `x`; `None` outside the line. `points` are
/// `(x, value)` sorted by x.
pub fn value_at(points: &[(f64, f64)], x: f64) -> Option<(f64, bool)> {
    if let Some(&(_, v)) = points.iter().find(|p| p.0 == x) {
        return Some((v, true));
    }
    let after = points.iter().position(|p| p.0 > x)?;
    let (a, b) = (points[after.checked_sub(1)?], points[after]);
    Some((a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_maps_into_the_charts_units() {
        // A 640-unit chart drawn 320 px wide from x = 35: every px is two units.
        assert_eq!(pointer_x(35.0, 35.0, 320.0, 640.0), Some(0.0));
        assert_eq!(pointer_x(195.0, 35.0, 320.0, 640.0), Some(320.0));
        assert_eq!(pointer_x(355.0, 35.0, 320.0, 640.0), Some(640.0));
        assert_eq!(pointer_x(100.0, 35.0, 0.0, 640.0), None, "a chart not drawn");
    }

    #[test]
    fn the_nearest_point_wins_and_the_first_of_equals() {
        let xs = [48.0, 100.0, 150.0, 592.0];
        assert_eq!(nearest(xs, -20.0), Some(0));
        assert_eq!(nearest(xs, 126.0), Some(2));
        assert_eq!(nearest(xs, 125.0), Some(1), "half-way: the earlier point");
        assert_eq!(nearest(xs, 1e9), Some(3));
        assert_eq!(nearest([], 3.0), None);
        assert_eq!(nearest([f64::NAN, 5.0], 0.0), Some(1));
    }

    #[test]
    fn keys_step_through_the_points_and_stop_at_the_ends() {
        assert_eq!(step_key("ArrowRight", None, 4), Some(0));
        assert_eq!(step_key("ArrowLeft", None, 4), Some(3));
        assert_eq!(step_key("ArrowRight", Some(1), 4), Some(2));
        assert_eq!(step_key("ArrowRight", Some(3), 4), Some(3));
        assert_eq!(step_key("ArrowLeft", Some(0), 4), Some(0));
        assert_eq!(step_key("Home", Some(2), 4), Some(0));
        assert_eq!(step_key("End", None, 4), Some(3));
        // A selection past a shortened chart comes back onto it.
        assert_eq!(step_key("ArrowLeft", Some(9), 4), Some(2));
        assert_eq!(step_key("Tab", Some(1), 4), None);
        assert_eq!(step_key("ArrowRight", None, 0), None);
    }

    #[test]
    fn keys_move_through_a_grid_and_stop_at_its_edges() {
        assert_eq!(grid_key("ArrowRight", (0, 0), 10, 10), Some((0, 1)));
        assert_eq!(grid_key("ArrowDown", (9, 4), 10, 10), Some((9, 4)));
        assert_eq!(grid_key("ArrowUp", (3, 4), 10, 10), Some((2, 4)));
        assert_eq!(grid_key("ArrowLeft", (3, 0), 10, 10), Some((3, 0)));
        assert_eq!(grid_key("End", (3, 2), 10, 10), Some((3, 9)));
        assert_eq!(grid_key("Home", (3, 2), 10, 10), Some((3, 0)));
        assert_eq!(grid_key("Enter", (3, 2), 10, 10), None);
        assert_eq!(grid_key("ArrowUp", (0, 0), 0, 10), None);
    }

    #[test]
    fn a_line_is_read_at_its_points_and_between_them() {
        let line = [(100.0, 0.2), (300.0, 0.6), (400.0, 0.5)];
        assert_eq!(value_at(&line, 300.0), Some((0.6, true)));
        assert_eq!(value_at(&line, 100.0), Some((0.2, true)));
        let (v, exact) = value_at(&line, 150.0).unwrap();
        assert!((v - 0.3).abs() < 1e-12 && !exact);
        assert_eq!(value_at(&line, 50.0), None, "before the run's first point");
        assert_eq!(value_at(&line, 401.0), None, "after its last");
        assert_eq!(value_at(&[], 1.0), None);
    }
}
