//! The actions the simulated apps declare for the agent, in the SDK's declaration format
//! (`sim/actions/*.json`, read by `lobster_core::action::read_declarations` as the agent reads an
//! Android app's), and their handlers against the simulator's state.
//!
//! Why the same format as a real app's: routed tasks are then tested end to end through what
//! an app developer writes (a schema for the arguments, a side effect, a confirmation level),
//! not through a name the simulator and the planner agreed on in code. Notes creates, appends
//! to and deletes notes; Messages sends a text; Shop fills the cart and pays (financial: the
//! guard always asks); Contacts finds a contact (a read: its result goes to the planner).

use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::apps::{messages, notes, shop};
use super::nav::{App, Page, World};
use super::state::{Note, SimState, digits, price, same_number};
use lobster_core::action::{ActionCatalog, read_declarations};
use lobster_core::device::{AppActionInfo, Outcome, RouteEffect};

/// The call name of Notes' action that creates a note.
pub const CREATE_NOTE: &str = "notes.create_note";

/// The declaration documents, one per app that declares actions.
pub const DECLARATIONS: [(&str, &str); 4] = [
    ("notes", include_str!("../actions/notes.json")),
    ("messages", include_str!("../actions/messages.json")),
    ("shop", include_str!("../actions/shop.json")),
    ("contacts", include_str!("../actions/contacts.json")),
];

/// The declarations as read; one that does not read is left out (the sim's tests read each).
static CATALOGS: LazyLock<Vec<ActionCatalog>> = LazyLock::new(|| {
    DECLARATIONS
        .iter()
        .filter_map(|(_, text)| read_declarations(text).ok())
        .collect()
});

/// Every action the apps declare, as the agent sees them.
pub(crate) fn declared() -> Vec<AppActionInfo> {
    CATALOGS.iter().flat_map(AppActionInfo::declared).collect()
}

/// Calls a declared action; `NoHandler` for a name no app declares. The agent checked the
/// arguments against the schema; the handlers still read them defensively.
pub(crate) fn call(world: &mut World<'_>, name: &str, args: &Map<String, Value>) -> Outcome {
    let text = |key: &str| args.get(key).and_then(Value::as_str).map(str::trim);
    let state = &mut *world.state;
    match name {
        CREATE_NOTE => {
            let Some(title) = text("title").filter(|title| !title.is_empty()) else {
                return missing("title");
            };
            let id = state.next_id();
            state.notes.push(Note {
                id,
                title: title.to_owned(),
                body: text("body").unwrap_or_default().to_owned(),
            });
            world
                .nav
                .start(App::Notes, vec![Page::Notes(notes::Page::List)]);
            Outcome::Performed
        }
        "notes.append_to_note" => {
            let (Some(title), Some(added)) = (text("title"), text("text")) else {
                return missing("title and text");
            };
            let Some(note) = state
                .notes
                .iter_mut()
                .find(|note| note.title.eq_ignore_ascii_case(title))
            else {
                return Outcome::Rejected("no note has that title".into());
            };
            note.body = if note.body.trim().is_empty() {
                added.to_owned()
            } else {
                format!("{}, {added}", note.body.trim_end())
            };
            Outcome::Performed
        }
        "notes.delete_note" => {
            let Some(title) = text("title") else {
                return missing("title");
            };
            let before = state.notes.len();
            state
                .notes
                .retain(|note| !note.title.eq_ignore_ascii_case(title));
            if state.notes.len() == before {
                return Outcome::Rejected("no note has that title".into());
            }
            Outcome::Performed
        }
        "messages.send_message" => {
            let (Some(to), Some(body)) = (text("to"), text("text")) else {
                return missing("to and text");
            };
            if digits(to).len() < 3 {
                return Outcome::Rejected("the number has too few digits".into());
            }
            state.send_message(to, body);
            world
                .nav
                .start(App::Messages, vec![Page::Messages(messages::Page::Threads)]);
            Outcome::Performed
        }
        "shop.add_to_cart" => {
            let Some(product) = text("product") else {
                return missing("product");
            };
            let quantity = args
                .get("quantity")
                .and_then(Value::as_u64)
                .and_then(|quantity| u32::try_from(quantity).ok())
                .unwrap_or(1);
            let Some(id) = state.product_named(product).map(|product| product.id) else {
                return Outcome::Rejected("the shop sells no product of that name".into());
            };
            state.add_to_cart(id, quantity);
            world
                .nav
                .start(App::Shop, vec![Page::Shop(shop::Page::Cart)]);
            Outcome::Performed
        }
        "shop.checkout" => {
            let total = state.total_cents(&state.cart.clone());
            match state.pay() {
                Some(order) => Outcome::Returned(format!("order {order} paid, {}", price(total))),
                None => Outcome::Rejected("the cart is empty".into()),
            }
        }
        "contacts.find_contact" => {
            let Some(name) = text("name") else {
                return missing("name");
            };
            Outcome::Returned(super::tools::find_contact(state, name))
        }
        _ => Outcome::NoHandler,
    }
}

fn missing(what: &str) -> Outcome {
    Outcome::Rejected(format!("the call needs {what}"))
}

/// Whether the state shows a call's effect; `None` for reads (their result is the effect).
pub(crate) fn effect(
    state: &SimState,
    name: &str,
    args: &Map<String, Value>,
) -> Option<RouteEffect> {
    let text = |key: &str| args.get(key).and_then(Value::as_str).map(str::trim);
    let shown = |seen: bool, what: &str| {
        Some(if seen {
            RouteEffect::Shown(what.to_owned())
        } else {
            RouteEffect::Missing(format!("not {what}"))
        })
    };
    match name {
        "notes.create_note" => shown(
            text("title").is_some_and(|title| state.note_titled(title).is_some()),
            "a note with the title",
        ),
        "notes.append_to_note" => shown(
            match (
                text("title").and_then(|title| state.note_titled(title)),
                text("text"),
            ) {
                (Some(note), Some(added)) => note.body.contains(added),
                _ => false,
            },
            "the text in the note",
        ),
        "notes.delete_note" => shown(
            text("title").is_some_and(|title| state.note_titled(title).is_none()),
            "the note gone",
        ),
        "messages.send_message" => shown(
            match (text("to"), text("text")) {
                (Some(to), Some(body)) => state.thread(to).is_some_and(|thread| {
                    thread
                        .messages
                        .last()
                        .is_some_and(|last| last.outgoing && last.text == body)
                        && same_number(&thread.number, to)
                }),
                _ => false,
            },
            "the message sent",
        ),
        "shop.add_to_cart" => shown(
            text("product")
                .and_then(|product| state.product_named(product))
                .is_some_and(|product| state.cart.iter().any(|line| line.product_id == product.id)),
            "the product in the cart",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::nav::Nav;

    fn call_on(state: &mut SimState, name: &str, args: Value) -> Outcome {
        let mut nav = Nav::default();
        let mut world = World {
            state,
            nav: &mut nav,
        };
        call(&mut world, name, args.as_object().unwrap())
    }

    #[test]
    fn every_declaration_reads_and_every_declared_action_has_a_handler() {
        for (app, text) in DECLARATIONS {
            let catalog =
                read_declarations(text).unwrap_or_else(|errors| panic!("{app}: {errors:#?}"));
            assert_eq!(catalog.app, app);
            let owner = App::ALL
                .into_iter()
                .find(|owner| owner.package() == catalog.package);
            assert!(owner.is_some(), "{app}: {} is no sim app", catalog.package);
        }
        let declared = declared();
        assert_eq!(declared.len(), 7);
        let mut state = SimState::seeded();
        for action in &declared {
            let outcome = call_on(&mut state, &action.name, json!({}));
            assert_ne!(outcome, Outcome::NoHandler, "{}", action.name);
        }
        assert_eq!(
            call_on(&mut state, "notes.fly", json!({})),
            Outcome::NoHandler
        );
    }

    #[test]
    fn the_handlers_change_the_state_and_their_effect_reads_it_back() {
        let mut state = SimState::seeded();
        let calls = [
            (
                "notes.create_note",
                json!({"title": "Gate", "body": "4521"}),
            ),
            (
                "notes.append_to_note",
                json!({"title": "Shopping list", "text": "rice"}),
            ),
            ("notes.delete_note", json!({"title": "Book ideas"})),
            (
                "messages.send_message",
                json!({"to": "+1 415-555-0123", "text": "On my way"}),
            ),
            (
                "shop.add_to_cart",
                json!({"product": "Yoga Mat", "quantity": 2}),
            ),
        ];
        for (name, args) in calls {
            let args_map = args.as_object().unwrap().clone();
            assert!(
                matches!(
                    effect(&state, name, &args_map),
                    Some(RouteEffect::Missing(_))
                ),
                "{name} before"
            );
            assert_eq!(
                call_on(&mut state, name, args),
                Outcome::Performed,
                "{name}"
            );
            assert!(
                matches!(effect(&state, name, &args_map), Some(RouteEffect::Shown(_))),
                "{name} after"
            );
        }
        let paid = call_on(&mut state, "shop.checkout", json!({}));
        assert!(
            matches!(&paid, Outcome::Returned(text) if text.starts_with("order ")),
            "{paid:?}"
        );
        assert_eq!(state.orders.len(), 1);
        assert_eq!(
            call_on(&mut state, "shop.checkout", json!({})),
            Outcome::Rejected("the cart is empty".into())
        );
        let found = call_on(
            &mut state,
            "contacts.find_contact",
            json!({"name": "Leo Park"}),
        );
        assert!(
            matches!(&found, Outcome::Returned(text) if text.starts_with("Leo Park: mobile")),
            "{found:?}"
        );
    }
}
