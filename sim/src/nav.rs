//! Navigation: which app is in front, each app's back stack of pages, the dialog or keyboard
//! on top, and the system surfaces (notification shade, recents, a crash dialog, an advert).
//!
//! Why apart from [`SimState`]: this is what Android keeps in its activity stacks and windows,
//! not in any app's database. It changes with every tap and is lost when an app crashes, while
//! the state survives. Widgets change both through a [`World`], the one mutable view a behaviour
//! gets.

use std::collections::BTreeMap;

use super::apps::{clock, contacts, messages, notes, settings, shop};
use super::state::SimState;

/// An app of the simulated phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum App {
    /// System settings.
    Settings,
    /// The address book.
    Contacts,
    /// SMS.
    Messages,
    /// Alarms, timers, stopwatch.
    Clock,
    /// Notes.
    Notes,
    /// A shop with a cart and checkout.
    Shop,
}

impl App {
    /// Every app, in launcher order.
    pub const ALL: [App; 6] = [
        App::Settings,
        App::Contacts,
        App::Messages,
        App::Clock,
        App::Notes,
        App::Shop,
    ];

    /// The label the launcher shows.
    pub fn label(self) -> &'static str {
        match self {
            App::Settings => "Settings",
            App::Contacts => "Contacts",
            App::Messages => "Messages",
            App::Clock => "Clock",
            App::Notes => "Notes",
            App::Shop => "Shop",
        }
    }

    /// The package name.
    pub fn package(self) -> &'static str {
        match self {
            App::Settings => "com.lobster.sim.settings",
            App::Contacts => "com.lobster.sim.contacts",
            App::Messages => "com.lobster.sim.messages",
            App::Clock => "com.lobster.sim.clock",
            App::Notes => "com.lobster.sim.notes",
            App::Shop => "com.lobster.sim.shop",
        }
    }

    /// The app with this launcher label (case-insensitive).
    pub fn from_label(label: &str) -> Option<App> {
        App::ALL
            .into_iter()
            .find(|app| app.label().eq_ignore_ascii_case(label.trim()))
    }

    /// The page the app opens on.
    pub(crate) fn home(self) -> Page {
        match self {
            App::Settings => Page::Settings(settings::Page::Main),
            App::Contacts => Page::Contacts(contacts::Page::List {
                query: String::new(),
            }),
            App::Messages => Page::Messages(messages::Page::Threads),
            App::Clock => Page::Clock(clock::Page::Alarms),
            App::Notes => Page::Notes(notes::Page::List),
            App::Shop => Page::Shop(shop::Page::Home {
                query: String::new(),
            }),
        }
    }
}

/// A page of some app, with the page's own transient state (what is typed, what is chosen).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Page {
    /// A Settings page.
    Settings(settings::Page),
    /// A Contacts page.
    Contacts(contacts::Page),
    /// A Messages page.
    Messages(messages::Page),
    /// A Clock page.
    Clock(clock::Page),
    /// A Notes page.
    Notes(notes::Page),
    /// A Shop page.
    Shop(shop::Page),
}

impl Page {
    /// The app the page belongs to.
    pub fn app(&self) -> App {
        match self {
            Page::Settings(_) => App::Settings,
            Page::Contacts(_) => App::Contacts,
            Page::Messages(_) => App::Messages,
            Page::Clock(_) => App::Clock,
            Page::Notes(_) => App::Notes,
            Page::Shop(_) => App::Shop,
        }
    }
}

/// A dialog or popup menu open over a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dialog {
    /// Settings: the password prompt of a secured Wi-Fi network.
    WifiPassword {
        /// The network.
        ssid: String,
        /// What is typed so far.
        password: String,
        /// The last attempt was wrong.
        wrong: bool,
    },
    /// Notes: the overflow menu of the list.
    NotesMenu,
    /// Notes: confirm deleting the open note.
    DeleteNote,
    /// Notes: confirm deleting every note.
    DeleteAllNotes,
}

/// One page on an app's back stack.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageEntry {
    /// The page.
    pub page: Page,
    /// The focused field's node key (the keyboard shows while there is one).
    pub focus: Option<String>,
    /// Scroll positions of the page's lists, by node key.
    pub scroll: BTreeMap<String, usize>,
    /// A dialog open over the page.
    pub dialog: Option<Dialog>,
}

impl PageEntry {
    /// A fresh entry: nothing focused, lists at the top, no dialog.
    pub fn new(page: Page) -> PageEntry {
        PageEntry {
            page,
            focus: None,
            scroll: BTreeMap::new(),
            dialog: None,
        }
    }
}

/// A system surface drawn over everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Overlay {
    /// Nothing.
    #[default]
    None,
    /// The notification shade with quick settings.
    Shade,
    /// The recent-apps overview.
    Recents,
}

/// Which keys the keyboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum KeyboardLayout {
    /// Lower-case letters.
    #[default]
    Letters,
    /// Capital letters.
    Capitals,
    /// Digits and symbols.
    Symbols,
}

/// Where the user is.
#[derive(Debug, Clone, Default)]
pub(crate) struct Nav {
    /// The app in front; `None` is the launcher.
    pub foreground: Option<App>,
    /// Each started app's back stack, bottom first.
    pub stacks: BTreeMap<App, Vec<PageEntry>>,
    /// Apps in the order they were last used, most recent last.
    pub recents: Vec<App>,
    /// A system surface on top.
    pub overlay: Overlay,
    /// The keyboard's layout.
    pub keyboard: KeyboardLayout,
    /// The "app keeps stopping" dialog after a crash.
    pub crash_dialog: Option<App>,
    /// The advert pop-up is showing.
    pub ad: bool,
}

/// What a widget's behaviour may change: the phone's data and where the user is.
pub(crate) struct World<'a> {
    /// The phone's data.
    pub state: &'a mut SimState,
    /// Where the user is.
    pub nav: &'a mut Nav,
}

impl Nav {
    /// The back stack of the app in front.
    pub fn stack(&self) -> Option<&Vec<PageEntry>> {
        self.stacks.get(&self.foreground?)
    }

    /// The page entry on top of the app in front.
    pub fn top(&self) -> Option<&PageEntry> {
        self.stack()?.last()
    }

    /// The page entry on top of the app in front, to change.
    pub fn top_mut(&mut self) -> Option<&mut PageEntry> {
        let app = self.foreground?;
        self.stacks.get_mut(&app)?.last_mut()
    }

    /// Brings `app` to the front where it was left (on its home page the first time).
    pub fn open(&mut self, app: App) {
        self.overlay = Overlay::None;
        self.foreground = Some(app);
        let stack = self.stacks.entry(app).or_default();
        if stack.is_empty() {
            stack.push(PageEntry::new(app.home()));
        }
        self.recents.retain(|recent| *recent != app);
        self.recents.push(app);
    }

    /// Starts `app` afresh on `pages` (the last on top), as an intent that starts a new task.
    pub fn start(&mut self, app: App, pages: Vec<Page>) {
        self.stacks
            .insert(app, pages.into_iter().map(PageEntry::new).collect());
        self.open(app);
    }

    /// Opens `page` on top of its app's stack and brings the app to the front.
    pub fn push(&mut self, page: Page) {
        let app = page.app();
        self.open(app);
        if let Some(stack) = self.stacks.get_mut(&app) {
            stack.push(PageEntry::new(page));
        }
    }

    /// Replaces the top page of the app in front.
    pub fn replace(&mut self, page: Page) {
        if let Some(top) = self.top_mut() {
            *top = PageEntry::new(page);
        }
    }

    /// Leaves the top page; leaving the last one returns to the launcher and the app will open
    /// on its home page next time.
    pub fn pop(&mut self) {
        let Some(app) = self.foreground else { return };
        let Some(stack) = self.stacks.get_mut(&app) else {
            return;
        };
        stack.pop();
        if stack.is_empty() {
            self.stacks.remove(&app);
            self.foreground = None;
        }
    }

    /// Leaves every page above the app's first.
    pub fn pop_to_root(&mut self) {
        if let Some(app) = self.foreground
            && let Some(stack) = self.stacks.get_mut(&app)
        {
            stack.truncate(1);
        }
    }

    /// The Home button: the launcher, with every app left as it was.
    pub fn home(&mut self) {
        if let Some(top) = self.top_mut() {
            top.focus = None;
        }
        self.overlay = Overlay::None;
        self.foreground = None;
    }

    /// The Back button: closes what is on top, else leaves the page.
    pub fn back(&mut self) {
        if self.ad {
            self.ad = false;
            return;
        }
        if self.crash_dialog.take().is_some() {
            return;
        }
        if self.overlay != Overlay::None {
            self.overlay = Overlay::None;
            return;
        }
        let Some(top) = self.top_mut() else { return };
        if top.focus.take().is_some() {
            return;
        }
        if top.dialog.take().is_some() {
            return;
        }
        self.pop();
    }

    /// The app crashes: its pages are gone, the launcher shows with the crash dialog.
    pub fn crash(&mut self, app: App) {
        self.stacks.remove(&app);
        self.recents.retain(|recent| *recent != app);
        self.foreground = None;
        self.overlay = Overlay::None;
        self.crash_dialog = Some(app);
    }
}

impl World<'_> {
    /// The page on top of the app in front, to change.
    pub fn page(&mut self) -> Option<&mut Page> {
        self.nav.top_mut().map(|top| &mut top.page)
    }

    /// Opens or closes a dialog over the top page.
    pub fn dialog(&mut self, dialog: Option<Dialog>) {
        if let Some(top) = self.nav.top_mut() {
            top.dialog = dialog;
            top.focus = None;
        }
    }

    /// Focuses a field (the keyboard shows) or clears the focus.
    pub fn focus(&mut self, key: Option<String>) {
        if let Some(top) = self.nav.top_mut() {
            top.focus = key;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_closes_what_is_on_top_before_leaving_pages() {
        let mut nav = Nav::default();
        nav.open(App::Notes);
        nav.push(Page::Notes(notes::Page::Editor(notes::Editor::default())));
        if let Some(top) = nav.top_mut() {
            top.focus = Some("field".into());
            top.dialog = Some(Dialog::DeleteNote);
        }
        nav.back();
        assert!(nav.top().is_some_and(|top| top.focus.is_none()));
        nav.back();
        assert!(nav.top().is_some_and(|top| top.dialog.is_none()));
        nav.back();
        assert_eq!(nav.stack().map(Vec::len), Some(1));
        nav.back();
        assert_eq!(nav.foreground, None);
        nav.open(App::Notes);
        assert_eq!(
            nav.top().map(|top| &top.page),
            Some(&Page::Notes(notes::Page::List))
        );
    }

    #[test]
    fn home_keeps_the_stack_and_a_crash_loses_it() {
        let mut nav = Nav::default();
        nav.open(App::Settings);
        nav.push(Page::Settings(settings::Page::Display));
        nav.home();
        nav.open(App::Settings);
        assert_eq!(nav.stack().map(Vec::len), Some(2));
        nav.crash(App::Settings);
        assert_eq!(nav.foreground, None);
        assert_eq!(nav.crash_dialog, Some(App::Settings));
        nav.open(App::Settings);
        assert_eq!(nav.stack().map(Vec::len), Some(1));
    }

    #[test]
    fn labels_find_apps() {
        assert_eq!(App::from_label("messages"), Some(App::Messages));
        assert_eq!(App::from_label("WeChat"), None);
    }
}
