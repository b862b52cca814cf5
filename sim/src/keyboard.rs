//! The on-screen keyboard (`com.lobster.sim.keyboard`): an input-method window that appears
//! while a field is focused, with key nodes that type into that field.
//!
//! Why simulate it: on a phone the keyboard is a separate window from another package that
//! covers the lower half of the screen and adds dozens of nodes; the encoder must label it as a
//! keyboard, the guard must not treat it as the app, and an agent should type with `type`
//! rather than tap keys. Tapping keys works too, as it does on Android.

use super::nav::KeyboardLayout;
use super::ui::{HEIGHT, Key, Ui, WIDTH, class, layout, node, rect};
use lobster_core::screen::Node;

/// The keyboard's package.
pub(crate) const PACKAGE: &str = "com.lobster.sim.keyboard";
/// Top of the keyboard window; apps resize to end above it.
pub(crate) const TOP: i32 = 1560;

const ROW_HEIGHT: i32 = 170;

/// The keyboard window's root node.
pub(crate) fn render(keyboard: KeyboardLayout, ui: &mut Ui) -> Node {
    let letters = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let symbols = ["1234567890", "@#$_&-+()/", "*\"':;!?"];
    let (rows, caps) = match keyboard {
        KeyboardLayout::Letters => (letters, false),
        KeyboardLayout::Capitals => (letters, true),
        KeyboardLayout::Symbols => (symbols, false),
    };
    let mut row_nodes = Vec::new();
    for (index, chars) in rows.iter().enumerate() {
        let top = TOP + 60 + ROW_HEIGHT * i32::try_from(index).unwrap_or(0);
        let mut keys = Vec::new();
        let count = i32::try_from(chars.chars().count()).unwrap_or(10);
        let width = 108;
        let mut left = (WIDTH - count * width) / 2;
        if index == 2 {
            let (label, pressed) = match keyboard {
                KeyboardLayout::Symbols => ("Letters", Key::Layout),
                _ => ("Shift", Key::Shift),
            };
            keys.push(key(
                ui,
                &format!("keyboard.key.{}", label.to_lowercase()),
                label,
                pressed,
                rect(0, top, 150, top + ROW_HEIGHT),
            ));
        }
        for c in chars.chars() {
            let c = if caps { c.to_ascii_uppercase() } else { c };
            let name = if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("u{:x}", u32::from(c))
            };
            keys.push(key(
                ui,
                &format!("keyboard.key.{name}"),
                &c.to_string(),
                Key::Char(c),
                rect(left, top, left + width, top + ROW_HEIGHT),
            ));
            left += width;
        }
        if index == 2 {
            keys.push(key(
                ui,
                "keyboard.key.delete",
                "Delete",
                Key::Delete,
                rect(930, top, WIDTH, top + ROW_HEIGHT),
            ));
        }
        row_nodes.push(layout(
            &format!("keyboard.row{index}"),
            class::LINEAR,
            "",
            rect(0, top, WIDTH, top + ROW_HEIGHT),
            keys,
        ));
    }
    let top = TOP + 60 + ROW_HEIGHT * 3;
    let bottom_row = vec![
        key(
            ui,
            "keyboard.key.symbols",
            "Symbol keyboard",
            Key::Layout,
            rect(0, top, 160, top + ROW_HEIGHT),
        ),
        key(
            ui,
            "keyboard.key.comma",
            ",",
            Key::Char(','),
            rect(160, top, 270, top + ROW_HEIGHT),
        ),
        key(
            ui,
            "keyboard.key.space",
            "Space",
            Key::Char(' '),
            rect(270, top, 810, top + ROW_HEIGHT),
        ),
        key(
            ui,
            "keyboard.key.period",
            ".",
            Key::Char('.'),
            rect(810, top, 920, top + ROW_HEIGHT),
        ),
        key(
            ui,
            "keyboard.key.enter",
            "Enter",
            Key::Enter,
            rect(920, top, WIDTH, top + ROW_HEIGHT),
        ),
    ];
    row_nodes.push(layout(
        "keyboard.row3",
        class::LINEAR,
        "",
        rect(0, top, WIDTH, top + ROW_HEIGHT),
        bottom_row,
    ));
    layout(
        "keyboard.root",
        class::FRAME,
        &format!("{PACKAGE}:id/keyboard_holder"),
        rect(0, TOP, WIDTH, HEIGHT),
        vec![layout(
            "keyboard.keys",
            class::LINEAR,
            &format!("{PACKAGE}:id/keyboard_view"),
            rect(0, TOP + 60, WIDTH, top + ROW_HEIGHT),
            row_nodes,
        )],
    )
}

/// A key: described by what it types, as Gboard's virtual key nodes are.
fn key(
    ui: &mut Ui,
    node_key: &str,
    description: &str,
    pressed: Key,
    bounds: lobster_core::screen::Rect,
) -> Node {
    ui.on_key(node_key, pressed);
    let key = Node {
        content_description: description.to_owned(),
        ..node(node_key, class::FRAME, bounds)
    };
    ui.clickable(key, std::rc::Rc::new(|_| {}))
}

/// The text of a field after a key press, and whether the key was Enter.
pub(crate) fn apply(key: Key, text: &str) -> (String, bool) {
    match key {
        Key::Char(c) => (format!("{text}{c}"), false),
        Key::Delete => {
            let mut text = text.to_owned();
            text.pop();
            (text, false)
        }
        Key::Enter => (text.to_owned(), true),
        Key::Shift | Key::Layout => (text.to_owned(), false),
    }
}

/// The layout after pressing Shift or the layout key.
pub(crate) fn next_layout(key: Key, current: KeyboardLayout) -> KeyboardLayout {
    match (key, current) {
        (Key::Shift, KeyboardLayout::Letters) => KeyboardLayout::Capitals,
        (Key::Shift, KeyboardLayout::Capitals) => KeyboardLayout::Letters,
        (Key::Layout, KeyboardLayout::Symbols) => KeyboardLayout::Letters,
        (Key::Layout, _) => KeyboardLayout::Symbols,
        // A capital is typed once, then the keyboard returns to lower case.
        (Key::Char(_), KeyboardLayout::Capitals) => KeyboardLayout::Letters,
        (_, current) => current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_edit_text() {
        assert_eq!(apply(Key::Char('a'), "b"), ("ba".into(), false));
        assert_eq!(apply(Key::Delete, "ab"), ("a".into(), false));
        assert_eq!(apply(Key::Enter, "ab"), ("ab".into(), true));
        assert_eq!(
            next_layout(Key::Char('A'), KeyboardLayout::Capitals),
            KeyboardLayout::Letters
        );
    }
}
