//! uiautomator and Appium XML: the two dialects of Android's accessibility XML dump.
//!
//! `uiautomator dump` (and uiautomator2's `dump_hierarchy`) writes `<hierarchy>` with one
//! `<node>` per accessibility node; each top-level `<node>` is one window (app, status bar,
//! keyboard, floating window). Appium's page source is the same tree with elements named by
//! class (`<android.widget.TextView>`) and a few more attributes (`displayed`, `width` and
//! `height` on `<hierarchy>`). One streaming reader serves both: the dialects differ in names,
//! not in structure.
//!
//! Real captures are often damaged: cut off mid-write, followed by the tool's chatter
//! ("UI hierchary dumped to: ..."), with bytes that are not UTF-8 in a text attribute. So the
//! reader keeps what it has read when the XML breaks off and says so in a warning, ignores
//! anything after the root element, and decodes attribute values lossily. It keeps its own
//! stack (the open elements), never recursing, and drops nodes below the depth cap.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::super::Node;
use super::assemble::Dump;
use super::error::{Count, ImportError, ImportWarning, Warnings, line_of};
use super::{DumpFormat, MAX_DEPTH, bounds};

const HIERARCHY: &[u8] = b"hierarchy";
const NODE: &[u8] = b"node";

/// Which dialect an XML dump is in: uiautomator when the first element inside `<hierarchy>` is
/// a `<node>` (or the hierarchy is empty), Appium otherwise. Reads only up to that element.
pub(super) fn dialect(bytes: &[u8]) -> Result<DumpFormat, ImportError> {
    let mut reader = new_reader(bytes);
    let mut in_hierarchy = false;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|err| xml_error(bytes, reader.error_position(), describe(&err)))?;
        let (start, empty) = match &event {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::End(_) | Event::Eof if in_hierarchy => return Ok(DumpFormat::UiAutomatorXml),
            Event::Eof => return Err(xml_error(bytes, position, "no root element")),
            _ => continue,
        };
        let name = start.name();
        if in_hierarchy {
            return Ok(if name.as_ref() == NODE {
                DumpFormat::UiAutomatorXml
            } else {
                DumpFormat::AppiumXml
            });
        }
        match name.as_ref() {
            HIERARCHY if empty => return Ok(DumpFormat::UiAutomatorXml),
            HIERARCHY => in_hierarchy = true,
            NODE => return Ok(DumpFormat::UiAutomatorXml),
            _ => return Err(xml_error(bytes, position, NOT_A_DUMP)),
        }
    }
}

const NOT_A_DUMP: &str = "the root element is neither <hierarchy> nor <node>";

/// Where the reader is in the document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Root {
    /// Before the root element.
    NotYet,
    /// Inside `<hierarchy>`: its child elements are windows.
    Hierarchy,
    /// Inside a bare root `<node>` (a dump without the `<hierarchy>` wrapper).
    Bare,
    /// After the root element.
    Closed,
}

/// Reads an XML dump of either dialect into window trees.
pub(super) fn parse(
    bytes: &[u8],
    format: DumpFormat,
    warnings: &mut Warnings,
) -> Result<Dump, ImportError> {
    let mut reader = new_reader(bytes);
    let mut trees = Trees {
        open: Vec::new(),
        roots: Vec::new(),
        skipping: 0,
    };
    let mut root = Root::NotYet;
    let mut declared_size = None;
    loop {
        let position = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => {
                let offset = reader.error_position();
                match root {
                    Root::NotYet => return Err(xml_error(bytes, offset, describe(&err))),
                    Root::Closed => warnings.push(trailing(bytes, position)),
                    Root::Hierarchy | Root::Bare => {
                        warnings.push(ImportWarning::MalformedXml {
                            offset,
                            line: line_of(bytes, offset),
                            problem: describe(&err),
                            open_elements: trees.open_elements(root),
                        });
                        trees.close_all();
                    }
                }
                break;
            }
        };
        if root == Root::Closed {
            if matches!(event, Event::Eof) {
                break;
            }
            if !is_insignificant(&event) {
                warnings.push(trailing(bytes, position));
                break;
            }
            continue;
        }
        match &event {
            Event::Eof => {
                if root != Root::NotYet {
                    warnings.push(ImportWarning::Truncated {
                        open_elements: trees.open_elements(root),
                    });
                    trees.close_all();
                }
                break;
            }
            Event::Start(start) | Event::Empty(start) => {
                let empty = matches!(event, Event::Empty(_));
                if root == Root::NotYet {
                    match start.name().as_ref() {
                        HIERARCHY => {
                            declared_size = size_of(start);
                            root = if empty { Root::Closed } else { Root::Hierarchy };
                            continue;
                        }
                        NODE => root = Root::Bare,
                        _ => return Err(xml_error(bytes, position, NOT_A_DUMP)),
                    }
                }
                trees.start(start, empty, format, warnings);
                if root == Root::Bare && trees.open_elements(root) == 0 {
                    root = Root::Closed;
                }
            }
            Event::End(_) => {
                let closed_a_node = trees.end();
                let wrapper_closed = root == Root::Hierarchy && !closed_a_node;
                let bare_closed = root == Root::Bare && trees.open_elements(root) == 0;
                if wrapper_closed || bare_closed {
                    root = Root::Closed;
                }
            }
            // Text between elements, comments, declarations: not part of the screen.
            _ => {}
        }
    }
    Ok(Dump {
        format,
        roots: trees.roots,
        declared_size,
        foreground_package: None,
        default_package: None,
    })
}

/// The node trees being built: the open elements, the finished windows, and how deep the
/// reader is inside a subtree dropped for depth.
struct Trees {
    open: Vec<Node>,
    roots: Vec<Node>,
    skipping: usize,
}

impl Trees {
    fn start(
        &mut self,
        start: &BytesStart,
        empty: bool,
        format: DumpFormat,
        warnings: &mut Warnings,
    ) {
        if self.skipping > 0 || self.open.len() > MAX_DEPTH {
            warnings.count(Count::TooDeep, 1);
            if !empty {
                self.skipping += 1;
            }
            return;
        }
        let node = node_of(start, format, warnings);
        if empty {
            self.attach(node);
        } else {
            self.open.push(node);
        }
    }

    /// Closes the innermost open element; false when none was open (the wrapper's end tag).
    fn end(&mut self) -> bool {
        if self.skipping > 0 {
            self.skipping -= 1;
            return true;
        }
        match self.open.pop() {
            Some(node) => {
                self.attach(node);
                true
            }
            None => false,
        }
    }

    fn attach(&mut self, node: Node) {
        match self.open.last_mut() {
            Some(parent) => parent.children.push(node),
            None => self.roots.push(node),
        }
    }

    /// Closes every open element, keeping the nodes read so far.
    fn close_all(&mut self) {
        while let Some(node) = self.open.pop() {
            self.attach(node);
        }
        self.skipping = 0;
    }

    fn open_elements(&self, root: Root) -> usize {
        self.open.len() + self.skipping + usize::from(root == Root::Hierarchy)
    }
}

fn new_reader(bytes: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(bytes);
    // A stray `&` in text between elements is no reason to give up on a dump.
    reader.config_mut().allow_dangling_amp = true;
    reader
}

/// One node from an element's attributes. Absent `enabled` means enabled; absent visibility
/// (`visible-to-user`, `displayed`) means visible unless the bounds are empty.
fn node_of(start: &BytesStart, format: DumpFormat, warnings: &mut Warnings) -> Node {
    let mut node = Node {
        enabled: true,
        ..Node::default()
    };
    let mut visible = None;
    let mut bounds_text = None;
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    for attribute in attributes {
        let Ok(attribute) = attribute else {
            warnings.count(Count::MalformedAttributes, 1);
            break;
        };
        let raw = attribute.value.as_ref();
        match attribute.key.as_ref() {
            b"text" => node.text = text(raw, warnings),
            b"resource-id" => node.resource_id = text(raw, warnings),
            b"class" => node.class_name = text(raw, warnings),
            b"package" => node.package = text(raw, warnings),
            b"content-desc" => node.content_description = text(raw, warnings),
            b"hint" => node.hint = text(raw, warnings),
            b"bounds" => bounds_text = Some(text(raw, warnings)),
            b"checkable" => node.checkable = flag(raw, false),
            b"checked" => node.checked = flag(raw, false),
            b"clickable" => node.clickable = flag(raw, false),
            b"long-clickable" => node.long_clickable = flag(raw, false),
            b"enabled" => node.enabled = flag(raw, true),
            b"focusable" => node.focusable = flag(raw, false),
            b"focused" => node.focused = flag(raw, false),
            b"scrollable" => node.scrollable = flag(raw, false),
            b"selected" => node.selected = flag(raw, false),
            b"password" => node.password = flag(raw, false),
            b"editable" => node.editable |= flag(raw, false),
            // Only editable text has an input type (Appium records it).
            b"input-type" => node.editable |= number(raw).is_some_and(|t| t > 0),
            b"visible-to-user" | b"displayed" | b"visible" => visible = Some(flag(raw, true)),
            _ => {}
        }
    }
    if node.class_name.is_empty() && format == DumpFormat::AppiumXml {
        let name = start.name();
        if name.as_ref() != NODE {
            node.class_name = String::from_utf8_lossy(name.as_ref()).into_owned();
        }
    }
    node.bounds = match bounds_text {
        None => {
            warnings.count(Count::MissingBounds, 1);
            None
        }
        Some(text) => bounds::counted(bounds::parse_text(&text), warnings),
    };
    node.visible = visible.unwrap_or_else(|| node.bounds.is_none_or(|b| !b.is_empty()));
    node
}

/// An attribute value as text: invalid UTF-8 replaced, entity references (`&amp;`, `&#10;`)
/// resolved; a value with a malformed reference is kept as written.
fn text(raw: &[u8], warnings: &mut Warnings) -> String {
    let value = match std::str::from_utf8(raw) {
        Ok(value) => Cow::Borrowed(value),
        Err(_) => {
            warnings.count(Count::InvalidUtf8, 1);
            String::from_utf8_lossy(raw)
        }
    };
    if !value.contains('&') {
        return value.into_owned();
    }
    match quick_xml::escape::unescape(&value) {
        Ok(unescaped) => unescaped.into_owned(),
        Err(_) => {
            warnings.count(Count::BadEntities, 1);
            value.into_owned()
        }
    }
}

/// `true`/`1` and `false`/`0` in any case; anything else is `default`.
fn flag(raw: &[u8], default: bool) -> bool {
    let raw = raw.trim_ascii();
    if raw.eq_ignore_ascii_case(b"true") || raw == b"1" {
        true
    } else if raw.eq_ignore_ascii_case(b"false") || raw == b"0" {
        false
    } else {
        default
    }
}

fn number(raw: &[u8]) -> Option<u64> {
    std::str::from_utf8(raw).ok()?.trim().parse().ok()
}

/// Appium's `<hierarchy width=".." height="..">`.
fn size_of(hierarchy: &BytesStart) -> Option<(u32, u32)> {
    let (mut width, mut height) = (None, None);
    let mut attributes = hierarchy.attributes();
    attributes.with_checks(false);
    for attribute in attributes.flatten() {
        let value = number(&attribute.value).and_then(|n| u32::try_from(n).ok());
        match attribute.key.as_ref() {
            b"width" => width = value,
            b"height" => height = value,
            _ => {}
        }
    }
    Some((width?, height?))
}

/// Whitespace, comments and processing instructions may follow the root element.
fn is_insignificant(event: &Event) -> bool {
    match event {
        Event::Text(text) => text.iter().all(u8::is_ascii_whitespace),
        Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => true,
        _ => false,
    }
}

fn trailing(bytes: &[u8], offset: u64) -> ImportWarning {
    ImportWarning::TrailingData {
        offset,
        line: line_of(bytes, offset),
    }
}

fn xml_error(bytes: &[u8], offset: u64, problem: &'static str) -> ImportError {
    ImportError::Xml {
        offset,
        line: line_of(bytes, offset),
        problem,
    }
}

/// The problem in fixed words: quick-xml's own messages can quote names and values.
fn describe(err: &quick_xml::Error) -> &'static str {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    match err {
        quick_xml::Error::Syntax(SyntaxError::UnclosedTag) => "a tag is not closed",
        quick_xml::Error::Syntax(_) => "syntax error",
        quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { .. }) => {
            "a closing tag does not match the open element"
        }
        quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(_)) => {
            "a closing tag without an open element"
        }
        quick_xml::Error::IllFormed(_) => "ill-formed document",
        quick_xml::Error::InvalidAttr(_) => "malformed attribute",
        quick_xml::Error::Escape(_) => "malformed entity reference",
        quick_xml::Error::Encoding(_) => "invalid text encoding",
        _ => "unreadable XML",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::count_nodes;

    fn read(text: &[u8]) -> (Result<Dump, ImportError>, Vec<ImportWarning>) {
        let mut warnings = Warnings::default();
        let dump = parse(text, DumpFormat::UiAutomatorXml, &mut warnings);
        (dump, warnings.finish())
    }

    const TWO_WINDOWS: &str = r#"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<hierarchy rotation="0">
  <node index="0" text="" class="android.widget.FrameLayout" package="com.example.notes" bounds="[0,0][1080,2400]">
    <node index="0" text="Tom &amp; Jerry&#10;line two &#128512;" class="android.widget.TextView" package="com.example.notes" bounds="[0,100][1080,200]" />
    <node index="1" text="" class="android.widget.EditText" package="com.example.notes" password="true" enabled="false" bounds="[0,200][1080,300]" />
  </node>
  <node index="0" class="android.widget.FrameLayout" package="com.android.systemui" bounds="[0,0][1080,80]" />
</hierarchy>"#;

    #[test]
    fn dialects_are_told_apart_by_the_first_element() {
        assert_eq!(
            dialect(TWO_WINDOWS.as_bytes()),
            Ok(DumpFormat::UiAutomatorXml)
        );
        assert_eq!(
            dialect(b"<hierarchy rotation=\"0\"><android.widget.FrameLayout bounds=\"[0,0][1,1]\"/></hierarchy>"),
            Ok(DumpFormat::AppiumXml)
        );
        assert_eq!(dialect(b"<hierarchy/>"), Ok(DumpFormat::UiAutomatorXml));
        assert_eq!(dialect(b"<node/>"), Ok(DumpFormat::UiAutomatorXml));
        assert!(matches!(
            dialect(b"<html><body/></html>"),
            Err(ImportError::Xml { .. })
        ));
        assert!(matches!(
            dialect(b"<?xml version='1.0'?>"),
            Err(ImportError::Xml { .. })
        ));
    }

    #[test]
    fn reads_windows_attributes_and_entities() {
        let (dump, warnings) = read(TWO_WINDOWS.as_bytes());
        let dump = dump.unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(dump.roots.len(), 2);
        let label = &dump.roots[0].children[0];
        assert_eq!(label.text, "Tom & Jerry\nline two \u{1F600}");
        assert!(label.enabled && label.visible);
        let field = &dump.roots[0].children[1];
        assert!(field.password && !field.enabled);
        assert_eq!(
            field.bounds.map(|b| (b.left, b.top, b.right, b.bottom)),
            Some((0, 200, 1080, 300))
        );
    }

    #[test]
    fn truncated_xml_keeps_what_was_read() {
        let cut = &TWO_WINDOWS.as_bytes()[..TWO_WINDOWS.find("<node index=\"1\"").unwrap()];
        let (dump, warnings) = read(cut);
        let dump = dump.unwrap();
        assert_eq!(dump.roots.len(), 1);
        assert_eq!(count_nodes(&dump.roots[0]), 2);
        assert_eq!(
            warnings,
            vec![ImportWarning::Truncated { open_elements: 2 }]
        );

        // Cut inside a tag: the half-written element is lost, the rest kept.
        let cut = &TWO_WINDOWS.as_bytes()[..TWO_WINDOWS.find("password=").unwrap()];
        let (dump, warnings) = read(cut);
        assert_eq!(count_nodes(&dump.unwrap().roots[0]), 2);
        assert!(matches!(
            warnings.as_slice(),
            [ImportWarning::MalformedXml {
                open_elements: 2,
                ..
            }]
        ));
    }

    #[test]
    fn junk_after_the_root_is_ignored_with_a_warning() {
        let text = format!("{TWO_WINDOWS}\nUI hierchary dumped to: /dev/tty\n<junk>");
        let (dump, warnings) = read(text.as_bytes());
        assert_eq!(dump.unwrap().roots.len(), 2);
        assert_eq!(
            warnings,
            vec![ImportWarning::TrailingData {
                offset: TWO_WINDOWS.len() as u64,
                line: 8
            }]
        );
        let text = format!("{TWO_WINDOWS}\n  <!-- done -->\n");
        assert!(read(text.as_bytes()).1.is_empty());
    }

    #[test]
    fn mismatched_tags_keep_the_nodes_before() {
        let text = b"<hierarchy><node bounds=\"[0,0][9,9]\"><node bounds=\"[0,0][1,1]\"></nope></node></hierarchy>";
        let (dump, warnings) = read(text);
        assert_eq!(count_nodes(&dump.unwrap().roots[0]), 2);
        assert!(matches!(
            warnings.as_slice(),
            [ImportWarning::MalformedXml {
                problem: "a closing tag does not match the open element",
                ..
            }]
        ));
    }

    #[test]
    fn missing_and_bad_bounds_are_counted_once() {
        let text = b"<hierarchy><node class=\"a\"><node/><node bounds=\"[1,2]\"/><node bounds=\"[0,0][0,0]\"/><node bounds=\"[-50,0][-10,9]\" visible-to-user=\"true\"/></node></hierarchy>";
        let (dump, warnings) = read(text);
        let dump = dump.unwrap();
        let kids = &dump.roots[0].children;
        assert_eq!(kids.len(), 4);
        assert!(kids[0].bounds.is_none() && kids[0].visible);
        assert!(
            kids[2].bounds.is_some() && !kids[2].visible,
            "zero-size is kept, not visible"
        );
        assert!(kids[3].visible, "off-screen kept as the dump says");
        assert_eq!(
            warnings,
            vec![ImportWarning::UnknownBounds {
                missing: 2,
                unparseable: 1
            }]
        );
    }

    #[test]
    fn invalid_utf8_and_bad_entities_are_tolerated() {
        let mut text = b"<hierarchy><node text=\"caf".to_vec();
        text.extend_from_slice(&[0xE9, 0xFF]);
        text.extend_from_slice(
            b"\" content-desc=\"a &bogus; b\" hint=\"x & y\" bounds=\"[0,0][1,1]\"/></hierarchy>",
        );
        let (dump, warnings) = read(&text);
        let node = &dump.unwrap().roots[0];
        assert!(node.text.starts_with("caf") && node.text.contains('\u{FFFD}'));
        assert_eq!(node.content_description, "a &bogus; b");
        assert_eq!(node.hint, "x & y");
        assert!(warnings.contains(&ImportWarning::InvalidUtf8 { count: 1 }));
        assert!(warnings.contains(&ImportWarning::BadEntities { count: 2 }));
    }

    #[test]
    fn absurd_nesting_is_capped_without_recursion() {
        let depth = 100_000;
        let mut text = b"<hierarchy>".to_vec();
        for _ in 0..depth {
            text.extend_from_slice(b"<node bounds=\"[0,0][1,1]\">");
        }
        for _ in 0..depth {
            text.extend_from_slice(b"</node>");
        }
        text.extend_from_slice(b"</hierarchy>");
        let (dump, warnings) = read(&text);
        let dump = dump.unwrap();
        assert_eq!(count_nodes(&dump.roots[0]), MAX_DEPTH + 1);
        assert_eq!(
            warnings,
            vec![ImportWarning::TooDeep {
                max_depth: MAX_DEPTH,
                dropped: depth - MAX_DEPTH - 1
            }]
        );
    }

    #[test]
    fn appium_names_and_flags() {
        let text = br#"<hierarchy index="0" class="hierarchy" rotation="0" width="1080" height="2254">
  <android.widget.FrameLayout package="com.example.a" bounds="[0,0][1080,2400]" displayed="true">
    <android.widget.EditText package="com.example.a" input-type="1" bounds="[0,0][10,10]" displayed="false"/>
    <android.widget.Button bounds="[0,0][10,10]"/>
  </android.widget.FrameLayout>
</hierarchy>"#;
        let mut warnings = Warnings::default();
        let dump = parse(text, DumpFormat::AppiumXml, &mut warnings).unwrap();
        assert_eq!(dump.declared_size, Some((1080, 2254)));
        let kids = &dump.roots[0].children;
        assert!(kids[0].editable && !kids[0].visible);
        assert_eq!(kids[1].class_name, "android.widget.Button");
    }

    #[test]
    fn bare_node_roots_and_empty_hierarchies() {
        let (dump, warnings) =
            read(b"<node bounds=\"[0,0][5,5]\"><node bounds=\"[0,0][1,1]\"/></node>trailing");
        assert_eq!(count_nodes(&dump.unwrap().roots[0]), 2);
        assert!(matches!(
            warnings.as_slice(),
            [ImportWarning::TrailingData { .. }]
        ));
        let (dump, warnings) = read(b"<hierarchy rotation=\"0\"/>");
        assert!(dump.unwrap().roots.is_empty() && warnings.is_empty());
        assert!(matches!(read(b"<svg/>").0, Err(ImportError::Xml { .. })));
        assert!(matches!(
            read(b"<hierarchy").0,
            Err(ImportError::Xml { .. })
        ));
    }
}
