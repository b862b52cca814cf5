//! Encode time: a generated 500-node screen, and (when `../shared/screens` is there) the
//! largest real dump. Target: < 1 ms median for 500 nodes in release builds.
//!
//! Run: `cargo bench -p lobster-core --bench encode`

#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lobster_core::screen::{
    Node, Rect, Snapshot, Window, WindowType, diff, encode, import::import, walk,
};

fn rect(top: i32, height: i32) -> Rect {
    Rect {
        left: 0,
        top,
        right: 1080,
        bottom: top + height,
    }
}

fn node(key: String, class: &str, bounds: Rect) -> Node {
    Node {
        key,
        class_name: class.into(),
        bounds: Some(bounds),
        visible: true,
        enabled: true,
        ..Node::default()
    }
}

/// A chat-list screen of exactly 500 nodes: toolbar, tabs, and 53 rows of an avatar, name,
/// preview, time, unread badge, mute icon and layout wrappers, like a messenger's home.
fn generated_screen() -> Snapshot {
    let mut rows = Vec::new();
    for i in 0..53 {
        let top = 300 + i * 40;
        let key = |part: &str| format!("row{i}.{part}");
        let mut row = node(key("row"), "android.widget.LinearLayout", rect(top, 40));
        row.clickable = true;
        row.long_clickable = true;
        let mut texts = node(key("texts"), "android.widget.LinearLayout", rect(top, 40));
        let mut name = node(key("name"), "android.widget.TextView", rect(top, 20));
        name.text = format!("Contact number {i}");
        let mut preview = node(
            key("preview"),
            "android.widget.TextView",
            rect(top + 20, 20),
        );
        preview.text = format!("See you tomorrow at {} o'clock, bring the charger", i % 12);
        let mut time = node(key("time"), "android.widget.TextView", rect(top, 20));
        time.text = format!("{:02}:{:02}", i % 24, (i * 7) % 60);
        let mut badge = node(key("badge"), "android.widget.TextView", rect(top + 20, 20));
        badge.text = (i % 5).to_string();
        let mut avatar = node(key("avatar"), "android.widget.ImageView", rect(top, 40));
        avatar.content_description = "Profile photo".into();
        let mute = node(key("mute"), "android.widget.ImageView", rect(top + 20, 20));
        texts.children = vec![name, preview];
        row.children = vec![avatar, texts, time, badge, mute];
        let mut wrapper = node(key("wrap"), "android.widget.FrameLayout", rect(top, 40));
        wrapper.children = vec![row];
        rows.push(wrapper);
    }
    let mut list = node(
        "list".into(),
        "androidx.recyclerview.widget.RecyclerView",
        rect(300, 2100),
    );
    list.scrollable = true;
    list.children = rows;
    let mut toolbar = node("toolbar".into(), "android.view.ViewGroup", rect(0, 150));
    for (i, label) in ["Search", "New chat", "More options"].iter().enumerate() {
        let mut button = node(format!("tb{i}"), "android.widget.ImageButton", rect(0, 150));
        button.content_description = (*label).into();
        button.clickable = true;
        toolbar.children.push(button);
    }
    let mut tabs = node("tabs".into(), "android.widget.LinearLayout", rect(150, 150));
    for (i, label) in ["Chats", "Updates", "Communities", "Calls"]
        .iter()
        .enumerate()
    {
        let mut tab = node(
            format!("tab{i}"),
            "android.widget.LinearLayout",
            rect(150, 150),
        );
        tab.clickable = true;
        tab.selected = i == 0;
        let mut text = node(
            format!("tab{i}.t"),
            "android.widget.TextView",
            rect(150, 150),
        );
        text.text = (*label).into();
        tab.children.push(text);
        tabs.children.push(tab);
    }
    let mut root = node("root".into(), "android.widget.FrameLayout", rect(0, 2400));
    root.children = vec![toolbar, tabs, list];
    let mut filler = 0;
    walk(&root, &mut |_| filler += 1);
    while filler < 500 {
        let pad = node(format!("pad{filler}"), "android.view.View", rect(2390, 10));
        root.children.push(pad);
        filler += 1;
    }
    Snapshot {
        screen_width: 1080,
        screen_height: 2400,
        foreground_package: "com.example.chat".into(),
        windows: vec![Window {
            id: 1,
            r#type: WindowType::Application as i32,
            package: "com.example.chat".into(),
            root: Some(root),
            ..Window::default()
        }],
        ..Snapshot::default()
    }
}

fn bench_encode(c: &mut Criterion) {
    let screen = generated_screen();
    let mut nodes = 0;
    walk(screen.windows[0].root.as_ref().unwrap(), &mut |_| {
        nodes += 1
    });
    assert_eq!(nodes, 500);
    c.bench_function("encode 500-node screen", |b| {
        b.iter(|| encode(black_box(&screen), None))
    });
    let first = encode(&screen, None);
    c.bench_function("encode 500-node screen with previous + diff", |b| {
        b.iter(|| {
            let next = encode(black_box(&screen), Some(&first));
            diff(&first, &next)
        })
    });

    let real = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/screens/jukandian_1.xml"
    );
    if let Ok(bytes) = std::fs::read(real) {
        let snapshot = import(&bytes).unwrap().snapshot;
        c.bench_function("import real 504-node uiautomator dump", |b| {
            b.iter(|| import(black_box(&bytes)).unwrap())
        });
        c.bench_function("encode real 504-node screen", |b| {
            b.iter(|| encode(black_box(&snapshot), None))
        });
    }
}

criterion_group!(benches, bench_encode);
criterion_main!(benches);
