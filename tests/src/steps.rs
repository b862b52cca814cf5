//! One action toward one goal, chosen from the current screen: where am I, and what single tap,
//! type or scroll brings the goal closer. Navigation is reactive (from any page of any app it
//! finds its way) so a crash, an advert or a dropped tap only costs a few steps.

use std::collections::HashMap;

use lobster_core::action::{Action, Direction};
use lobster_sim::{App, SimState, Toggle, clock_time, digits, same_number};

use crate::goals::{Goal, How};
use crate::view::{Location, View};

/// What the solver remembers between steps for navigation.
#[derive(Debug, Default)]
pub(crate) struct Memory {
    /// The way each list is being scrolled to find something.
    pub scroll: HashMap<String, Direction>,
    /// The system tools called to answer a question.
    pub asked: Vec<String>,
}

/// The current screen, the state, and the memory.
pub(crate) struct Step<'a> {
    /// The screen.
    pub view: &'a View<'a>,
    /// The phone's data.
    pub state: &'a SimState,
    /// Navigation memory.
    pub memory: &'a mut Memory,
}

fn open(app: App) -> Action {
    Action::OpenApp {
        name: app.label().into(),
    }
}

fn done(answer: &str) -> Action {
    Action::Done {
        answer: answer.to_owned(),
    }
}

fn typed(id: u32, text: &str) -> Action {
    Action::Type {
        id,
        text: text.to_owned(),
        clear: true,
        enter: false,
    }
}

impl Step<'_> {
    /// Taps `key` if it is on screen.
    fn tap(&self, key: &str) -> Option<Action> {
        self.view.id(key).map(|id| Action::Tap { id })
    }

    /// The page of `app` in front, if `app` is in front.
    fn page_of(&self, app: App) -> Option<String> {
        match self.view.location() {
            Location::App { app: shown, page } if shown == app => Some(page),
            _ => None,
        }
    }

    /// Brings `app` to the front, or closes what covers it.
    fn bring_to_front(&self, app: App) -> Action {
        match self.view.location() {
            Location::Overlay => Action::Back,
            _ => open(app),
        }
    }

    /// Scrolls `list_key` the way that still has more, to find something in it.
    fn scroll(&mut self, list_key: &str) -> Action {
        let Some(id) = self.view.id(list_key) else {
            return Action::Back;
        };
        let (below, above) = self.view.more(list_key);
        let direction = self
            .memory
            .scroll
            .entry(list_key.to_owned())
            .or_insert(Direction::Down);
        if *direction == Direction::Down && !below && above {
            *direction = Direction::Up;
        } else if *direction == Direction::Up && !above && below {
            *direction = Direction::Down;
        }
        Action::Scroll {
            target: Some(id),
            direction: *direction,
        }
    }

    /// Taps `key`, scrolling `list_key` to it first.
    fn reach(&mut self, list_key: &str, key: &str) -> Action {
        match self.tap(key) {
            Some(action) => action,
            None => self.scroll(list_key),
        }
    }

    /// One step toward `target` page of `app` along `route`: (page, key that leads on).
    fn go(&mut self, app: App, route: &[(&str, &str)]) -> Action {
        let Some(page) = self.page_of(app) else {
            return self.bring_to_front(app);
        };
        match route.iter().find(|(on, _)| *on == page) {
            Some((_, key)) => {
                let list = format!("{}.{page}.list", app.label().to_lowercase());
                self.reach(&list, key)
            }
            None => Action::Back,
        }
    }

    /// A field's text differs from `wanted`: type it.
    fn fill(&self, key: &str, wanted: &str) -> Option<Action> {
        let id = self.view.id(key)?;
        let value = self.view.field_value(key)?;
        (value.trim() != wanted).then(|| typed(id, wanted))
    }

    /// The step toward `goal`.
    pub fn toward(&mut self, goal: &Goal) -> Action {
        match &goal.how {
            How::Toggle(toggle, _) => self.toggle(*toggle),
            How::Brightness(percent) => self.brightness(*percent),
            How::ConnectWifi(ssid) => self.connect_wifi(ssid),
            How::AnswerModel => self.answer_model(),
            How::AnswerNumber(name) => self.answer_number(name),
            How::AnswerPrice(product) => self.answer_price(product),
            How::AddContact { name, number } => self.add_contact(name, number),
            How::TextFromContacts { name, number, text } => {
                self.text_from_contacts(name, number, text)
            }
            How::Reply { name, number, text } => self.reply(name, number, text),
            How::Compose {
                to,
                number,
                text,
                fill_only,
            } => self.compose(to, number, text, *fill_only),
            How::SetAlarm {
                hour,
                minute,
                label,
            } => self.set_alarm(*hour, *minute, label),
            How::AlarmEnabled { hour, minute, .. } => self.alarm_switch(*hour, *minute),
            How::DeleteAlarm { hour, minute } => self.delete_alarm(*hour, *minute),
            How::Timer { minutes } => self.timer(*minutes),
            How::CreateNote { title, body } => self.create_note(title, body),
            How::DeleteNote { title } => self.delete_note(title),
            How::AppendToNote { title, text } => self.append_to_note(title, text),
            How::AddToCart { product } => self.add_to_cart(product, 1),
            How::Buy { product, quantity } => self.buy(product, *quantity),
            How::Tool(tool) => Action::Intent(tool.clone()),
            How::AnswerByTool { tool, task } => {
                let name = tool.kind().name().to_owned();
                if self.memory.asked.contains(&name) {
                    done(&task.expected_answer(self.state).unwrap_or_default())
                } else {
                    self.memory.asked.push(name);
                    Action::Intent(tool.clone())
                }
            }
        }
    }

    // ----- Settings -----

    fn settings(&mut self, page: &str) -> Action {
        let route: &[(&str, &str)] = match page {
            "network" => &[("main", "settings.main.network")],
            "wifi" => &[
                ("main", "settings.main.network"),
                ("network", "settings.network.wifi"),
            ],
            "bluetooth" => &[
                ("main", "settings.main.devices"),
                ("devices", "settings.devices.bluetooth"),
            ],
            "display" => &[("main", "settings.main.display")],
            "dnd" => &[
                ("main", "settings.main.sound"),
                ("sound", "settings.sound.dnd"),
            ],
            "battery" => &[("main", "settings.main.battery")],
            "location" => &[("main", "settings.main.location")],
            _ => &[("main", "settings.main.about")],
        };
        self.go(App::Settings, route)
    }

    fn toggle(&mut self, toggle: Toggle) -> Action {
        let (page, key) = match toggle {
            Toggle::Wifi => ("network", "settings.network.wifi_switch"),
            Toggle::Bluetooth => ("bluetooth", "settings.bluetooth.use"),
            Toggle::AirplaneMode => ("network", "settings.network.airplane"),
            Toggle::DoNotDisturb => ("dnd", "settings.dnd.button"),
            Toggle::DarkTheme => ("display", "settings.display.dark"),
            Toggle::AdaptiveBrightness => ("display", "settings.display.adaptive"),
            Toggle::Location => ("location", "settings.location.use"),
            Toggle::BatterySaver => ("battery", "settings.battery.saver"),
            Toggle::AutoRotate => ("display", "settings.display.rotate"),
        };
        let here = self.page_of(App::Settings);
        if here.as_deref() == Some(page) {
            return self.reach(&format!("settings.{page}.list"), key);
        }
        // The Wi-Fi page (where `open_settings page=wifi` lands) has its own switch.
        if toggle == Toggle::Wifi && here.as_deref() == Some("wifi") {
            return self.tap("settings.wifi.use").unwrap_or(Action::Back);
        }
        self.settings(page)
    }

    fn brightness(&mut self, percent: u8) -> Action {
        if self.page_of(App::Settings).as_deref() != Some("display") {
            return self.settings("display");
        }
        let Some(id) = self.view.id("settings.display.brightness_slider") else {
            return self.scroll("settings.display.list");
        };
        let direction = if self.state.settings.brightness < percent {
            Direction::Right
        } else {
            Direction::Left
        };
        Action::Scroll {
            target: Some(id),
            direction,
        }
    }

    fn connect_wifi(&mut self, ssid: &str) -> Action {
        if self.page_of(App::Settings).as_deref() != Some("wifi") {
            return self.settings("wifi");
        }
        if !self.state.settings.wifi {
            return self.tap("settings.wifi.use").unwrap_or(Action::Back);
        }
        let prefix = format!("{ssid} |");
        match self
            .view
            .find("settings.wifi.net", |label| label.starts_with(&prefix))
        {
            Some(element) => Action::Tap { id: element.id },
            None => self.scroll("settings.wifi.list"),
        }
    }

    fn answer_model(&mut self) -> Action {
        if self.page_of(App::Settings).as_deref() == Some("about")
            && let Some(model) = self.view.line_after("Model")
        {
            return done(model.trim());
        }
        self.settings("about")
    }

    // ----- Contacts -----

    /// On the contacts list: the row of `name`, clearing a search that hides it, or a scroll.
    fn contact_row(&mut self, name: &str) -> Action {
        if let Some(element) = self
            .view
            .find("contacts.list.contact", |label| label == name)
        {
            return Action::Tap { id: element.id };
        }
        let query = self
            .view
            .field_value("contacts.list.search")
            .unwrap_or_default();
        if !query.is_empty()
            && !name.to_lowercase().contains(&query.to_lowercase())
            && let Some(id) = self.view.id("contacts.list.search")
        {
            return typed(id, "");
        }
        self.scroll("contacts.list.list")
    }

    fn answer_number(&mut self, name: &str) -> Action {
        match self.page_of(App::Contacts).as_deref() {
            Some("detail") if self.view.has_line(name) => match self.view.line_before("Mobile") {
                Some(number) => done(number.trim()),
                None => Action::Back,
            },
            Some("list") => self.contact_row(name),
            Some(_) => Action::Back,
            None => self.bring_to_front(App::Contacts),
        }
    }

    fn add_contact(&mut self, name: &str, number: &str) -> Action {
        match self.page_of(App::Contacts).as_deref() {
            Some("new") => {
                let (first, last) = name.split_once(' ').unwrap_or((name, ""));
                self.fill("contacts.new.first", first)
                    .or_else(|| self.fill("contacts.new.last", last))
                    .or_else(|| self.fill("contacts.new.phone", number))
                    .or_else(|| self.tap("contacts.new.save"))
                    .unwrap_or(Action::Back)
            }
            Some("list") => self.tap("contacts.list.create").unwrap_or(Action::Back),
            Some(_) => Action::Back,
            None => self.bring_to_front(App::Contacts),
        }
    }

    // ----- Messages -----

    /// On a draft to `number`: type the text, then send (or stop there).
    fn finish_draft(&self, text: &str, fill_only: bool) -> Action {
        if let Some(action) = self.fill("messages.compose.body", text) {
            return action;
        }
        if fill_only {
            return done("");
        }
        self.tap("messages.compose.send").unwrap_or(Action::Back)
    }

    fn draft_to(&self, number: &str) -> bool {
        self.view
            .field_value("messages.compose.to")
            .is_some_and(|to| same_number(&to, number) && !to.chars().any(char::is_alphabetic))
    }

    fn text_from_contacts(&mut self, name: &str, number: &str, text: &str) -> Action {
        if self.page_of(App::Messages).as_deref() == Some("compose") {
            if self.draft_to(number) {
                return self.finish_draft(text, false);
            }
            return Action::Back;
        }
        match self.page_of(App::Contacts).as_deref() {
            Some("detail") if self.view.has_line(name) => self
                .tap("contacts.detail.mobile_message")
                .unwrap_or(Action::Back),
            Some("list") => self.contact_row(name),
            Some(_) => Action::Back,
            None => self.bring_to_front(App::Contacts),
        }
    }

    fn reply(&mut self, name: &str, number: &str, text: &str) -> Action {
        match self.page_of(App::Messages).as_deref() {
            Some("thread") if self.view.has_line(name) => self
                .fill("messages.thread.compose", text)
                .or_else(|| self.tap("messages.thread.send"))
                .unwrap_or(Action::Back),
            Some("threads") => {
                let key = format!("messages.threads.thread{}", digits(number));
                self.reach("messages.threads.list", &key)
            }
            Some(_) => Action::Back,
            None => self.bring_to_front(App::Messages),
        }
    }

    fn compose(&mut self, to: &str, number: &str, text: &str, fill_only: bool) -> Action {
        match self.page_of(App::Messages).as_deref() {
            Some("compose") => {
                if self.draft_to(number) {
                    return self.finish_draft(text, fill_only);
                }
                let suggestion = format!("messages.compose.suggestion{}", digits(number));
                if let Some(action) = self.tap(&suggestion) {
                    return action;
                }
                if let Some(action) = self.fill("messages.compose.to", to) {
                    return action;
                }
                self.scroll("messages.compose.suggestions")
            }
            Some("threads") => self
                .tap("messages.threads.start_chat")
                .unwrap_or(Action::Back),
            Some(_) => Action::Back,
            None => self.bring_to_front(App::Messages),
        }
    }

    // ----- Clock -----

    /// Switches to a Clock tab from another tab, or leaves the editor.
    fn clock_tab(&self, tab: &str) -> Action {
        match self.page_of(App::Clock) {
            Some(page) => self
                .tap(&format!("clock.{page}.tab_{tab}"))
                .unwrap_or(Action::Back),
            None => self.bring_to_front(App::Clock),
        }
    }

    fn alarm_id(&self, hour: u8, minute: u8) -> Option<u32> {
        self.state.alarm_at(hour, minute).map(|alarm| alarm.id)
    }

    /// A number field shows `wanted` (as a number); else type it.
    fn fill_number(&self, key: &str, wanted: u8) -> Option<Action> {
        let id = self.view.id(key)?;
        let value = self.view.field_value(key)?;
        (value.trim().parse::<u8>().ok() != Some(wanted))
            .then(|| typed(id, &format!("{wanted:02}")))
    }

    fn set_alarm(&mut self, hour: u8, minute: u8, label: &str) -> Action {
        match self.page_of(App::Clock).as_deref() {
            Some("edit") if self.view.has_line("Edit alarm") => Action::Back,
            Some("edit") => self
                .fill_number("clock.edit.hour", hour)
                .or_else(|| self.fill_number("clock.edit.minute", minute))
                .or_else(|| self.fill("clock.edit.label", label))
                .or_else(|| self.tap("clock.edit.save"))
                .unwrap_or(Action::Back),
            Some("alarms") => self.tap("clock.alarms.add").unwrap_or(Action::Back),
            _ => self.clock_tab("alarm"),
        }
    }

    fn alarm_switch(&mut self, hour: u8, minute: u8) -> Action {
        let Some(id) = self.alarm_id(hour, minute) else {
            return Action::Fail {
                reason: format!("there is no {} alarm", clock_time(hour, minute)),
            };
        };
        match self.page_of(App::Clock).as_deref() {
            Some("alarms") => self.reach("clock.alarms.list", &format!("clock.alarms.switch{id}")),
            Some("edit") => Action::Back,
            _ => self.clock_tab("alarm"),
        }
    }

    fn delete_alarm(&mut self, hour: u8, minute: u8) -> Action {
        let Some(id) = self.alarm_id(hour, minute) else {
            return done("");
        };
        match self.page_of(App::Clock).as_deref() {
            Some("edit") => {
                let same = self.fill_number("clock.edit.hour", hour).is_none()
                    && self.fill_number("clock.edit.minute", minute).is_none();
                match self.tap("clock.edit.delete") {
                    Some(action) if same => action,
                    _ => Action::Back,
                }
            }
            Some("alarms") => self.reach("clock.alarms.list", &format!("clock.alarms.alarm{id}")),
            _ => self.clock_tab("alarm"),
        }
    }

    fn timer(&mut self, minutes: u32) -> Action {
        match self.page_of(App::Clock).as_deref() {
            Some("timers") => self
                .fill("clock.timers.minutes", &minutes.to_string())
                .or_else(|| self.tap("clock.timers.start"))
                .unwrap_or(Action::Back),
            Some("edit") => Action::Back,
            _ => self.clock_tab("timer"),
        }
    }

    // ----- Notes -----

    /// The Notes list, with no menu or dialog over it.
    fn notes_list(&mut self) -> Option<Action> {
        if self.view.has_prefix("notes.menu.") || self.view.has_prefix("notes.delete_all.") {
            return Some(Action::Back);
        }
        match self.page_of(App::Notes).as_deref() {
            Some("list") => None,
            Some(_) => Some(Action::Back),
            None => Some(self.bring_to_front(App::Notes)),
        }
    }

    fn note_row(&mut self, title: &str) -> Action {
        match self.state.note_titled(title) {
            Some(note) => {
                let key = format!("notes.list.note{}", note.id);
                self.reach("notes.list.list", &key)
            }
            None => Action::Fail {
                reason: format!("there is no note {title:?}"),
            },
        }
    }

    /// In the editor of the note titled `title`.
    fn editing(&self, title: &str) -> bool {
        self.page_of(App::Notes).as_deref() == Some("editor")
            && self
                .view
                .field_value("notes.editor.title")
                .is_some_and(|value| value.eq_ignore_ascii_case(title))
            && self.view.id("notes.editor.delete").is_some()
    }

    fn create_note(&mut self, title: &str, body: &str) -> Action {
        if self.page_of(App::Notes).as_deref() == Some("editor") {
            if self.view.id("notes.editor.delete").is_some() {
                return Action::Back;
            }
            return self
                .fill("notes.editor.title", title)
                .or_else(|| self.fill("notes.editor.body", body))
                .or_else(|| self.tap("notes.editor.save"))
                .unwrap_or(Action::Back);
        }
        match self.notes_list() {
            Some(action) => action,
            None => self.tap("notes.list.new").unwrap_or(Action::Back),
        }
    }

    fn delete_note(&mut self, title: &str) -> Action {
        if let Some(action) = self.tap("notes.delete.button1") {
            return action;
        }
        if self.editing(title) {
            return self.tap("notes.editor.delete").unwrap_or(Action::Back);
        }
        match self.notes_list() {
            Some(action) => action,
            None => self.note_row(title),
        }
    }

    fn append_to_note(&mut self, title: &str, text: &str) -> Action {
        if self.editing(title) {
            let body = self
                .view
                .field_value("notes.editor.body")
                .unwrap_or_default();
            if !body.to_lowercase().contains(&text.to_lowercase())
                && let Some(id) = self.view.id("notes.editor.body")
            {
                return Action::Type {
                    id,
                    text: format!(", {text}"),
                    clear: false,
                    enter: false,
                };
            }
            return self.tap("notes.editor.save").unwrap_or(Action::Back);
        }
        match self.notes_list() {
            Some(action) => action,
            None => self.note_row(title),
        }
    }

    // ----- Shop -----

    /// On the shop's list: the product's row, clearing a search that hides it, or a scroll.
    fn product_row(&mut self, product: &str) -> Option<&lobster_core::screen::Element> {
        let prefix = format!("{product} |");
        self.view
            .find("shop.home.product", |label| label.starts_with(&prefix))
    }

    fn go_to_product(&mut self, product: &str) -> Action {
        match self.page_of(App::Shop).as_deref() {
            Some("home") => {
                if let Some(element) = self.product_row(product) {
                    return Action::Tap { id: element.id };
                }
                let query = self
                    .view
                    .field_value("shop.home.search")
                    .unwrap_or_default();
                if !query.is_empty()
                    && let Some(id) = self.view.id("shop.home.search")
                {
                    return typed(id, "");
                }
                self.scroll("shop.home.list")
            }
            Some(_) => Action::Back,
            None => self.bring_to_front(App::Shop),
        }
    }

    fn add_to_cart(&mut self, product: &str, quantity: u32) -> Action {
        if self.page_of(App::Shop).as_deref() == Some("product") && self.view.has_line(product) {
            let shown = self.shown_quantity();
            if shown < quantity {
                return self.tap("shop.product.increase").unwrap_or(Action::Back);
            }
            if shown > quantity {
                return self.tap("shop.product.decrease").unwrap_or(Action::Back);
            }
            return self.tap("shop.product.add").unwrap_or(Action::Back);
        }
        self.go_to_product(product)
    }

    /// The quantity the product page shows (`Qty 2`).
    fn shown_quantity(&self) -> u32 {
        self.view
            .text()
            .lines()
            .find_map(|line| line.trim().strip_prefix("Qty "))
            .and_then(|number| number.trim().parse().ok())
            .unwrap_or(1)
    }

    fn buy(&mut self, product: &str, quantity: u32) -> Action {
        let Some(id) = self.state.product_named(product).map(|p| p.id) else {
            return Action::Fail {
                reason: format!("the shop has no {product}"),
            };
        };
        let cart: Vec<(u32, u32)> = self
            .state
            .cart
            .iter()
            .map(|line| (line.product_id, line.quantity))
            .collect();
        let page = self.page_of(App::Shop);
        if cart.is_empty() {
            return self.add_to_cart(product, quantity);
        }
        if cart != [(id, quantity)] {
            // Something else (or too many) in the cart: empty it from the cart page.
            return match page.as_deref() {
                Some("cart") => self
                    .view
                    .find("shop.cart.line", |label| label == "Remove")
                    .map_or(Action::Back, |element| Action::Tap { id: element.id }),
                Some(page) => self
                    .tap(&format!("shop.{page}.cart"))
                    .unwrap_or(Action::Back),
                None => self.bring_to_front(App::Shop),
            };
        }
        match page.as_deref() {
            Some("checkout") => self.tap("shop.checkout.pay").unwrap_or(Action::Back),
            Some("cart") => self.tap("shop.cart.checkout").unwrap_or(Action::Back),
            Some(page) => self
                .tap(&format!("shop.{page}.cart"))
                .unwrap_or(Action::Back),
            None => self.bring_to_front(App::Shop),
        }
    }

    fn answer_price(&mut self, product: &str) -> Action {
        if self.page_of(App::Shop).as_deref() == Some("home")
            && let Some(element) = self.product_row(product)
        {
            let shown = element.label.split(" | ").nth(1).unwrap_or_default();
            return done(shown.trim());
        }
        self.go_to_product(product)
    }
}
