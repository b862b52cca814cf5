//! From the planner's action to the device's: element ids become node targets, secret
//! references become their values, and `type … enter` becomes two device actions.
//!
//! Only actions that touch the device get here; `wait`, `ask`, `done` and `fail` are the loop's
//! own business.

use crate::action::Action;
use crate::device::{DeviceAction, GlobalAction, Target};
use crate::policy::SecretStore;
use crate::screen::{ElementId, EncodedScreen};

/// What the device is asked to do for one action.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Effect {
    /// Device actions, in order.
    Perform(Vec<DeviceAction>),
    /// Launch an app by label.
    Launch(String),
}

/// Why an action could not be resolved on this screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ResolveError {
    /// The id is not on the screen.
    #[error("element {0} is not on this screen")]
    NoSuchElement(ElementId),
    /// The action is handled by the loop, not the device.
    #[error("{0} is not a device action")]
    NotADeviceAction(&'static str),
}

/// Resolves `action` against `screen`.
pub(crate) fn resolve(
    action: &Action,
    screen: &EncodedScreen,
    secrets: &SecretStore,
) -> Result<Effect, ResolveError> {
    let target = |id: ElementId| {
        screen
            .element(id)
            .map(|element| Target {
                node_key: element.node_key.clone(),
                window_id: element.window_id,
                bounds: element.bounds,
            })
            .ok_or(ResolveError::NoSuchElement(id))
    };
    let perform = |actions: Vec<DeviceAction>| Ok(Effect::Perform(actions));
    match action {
        Action::Tap { id } => perform(vec![DeviceAction::Tap(target(*id)?)]),
        Action::LongPress { id } => perform(vec![DeviceAction::LongPress(target(*id)?)]),
        Action::Type {
            id,
            text,
            clear,
            enter,
        } => {
            let target = target(*id)?;
            let text = secrets.resolve(text).unwrap_or(text).to_owned();
            let mut actions = vec![DeviceAction::SetText {
                target: target.clone(),
                text,
                clear: *clear,
            }];
            if *enter {
                actions.push(DeviceAction::PressEnter(target));
            }
            perform(actions)
        }
        Action::Scroll {
            target: element,
            direction,
        } => perform(vec![DeviceAction::Scroll {
            target: element.map(target).transpose()?,
            direction: *direction,
        }]),
        Action::Swipe {
            from,
            to,
            duration_ms,
        } => perform(vec![DeviceAction::Swipe {
            from: *from,
            to: *to,
            duration_ms: duration_ms.unwrap_or(300),
        }]),
        Action::Back => perform(vec![DeviceAction::Global(GlobalAction::Back)]),
        Action::Home => perform(vec![DeviceAction::Global(GlobalAction::Home)]),
        Action::Recents => perform(vec![DeviceAction::Global(GlobalAction::Recents)]),
        Action::Notifications => perform(vec![DeviceAction::Global(GlobalAction::Notifications)]),
        Action::OpenApp { name } => Ok(Effect::Launch(name.clone())),
        Action::Intent(intent) => perform(vec![DeviceAction::SendIntent(intent.clone())]),
        Action::CallAppAction { name, args } => perform(vec![DeviceAction::CallAppAction {
            name: name.clone(),
            args: args.clone(),
        }]),
        Action::Wait { .. } => Err(ResolveError::NotADeviceAction("wait")),
        Action::Ask { .. } => Err(ResolveError::NotADeviceAction("ask")),
        Action::Takeover { .. } => Err(ResolveError::NotADeviceAction("takeover")),
        Action::Done { .. } => Err(ResolveError::NotADeviceAction("done")),
        Action::Fail { .. } => Err(ResolveError::NotADeviceAction("fail")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::test_support::*;
    use crate::screen::{WindowType, encode};

    #[test]
    fn a_tap_on_a_button_at_extreme_bounds_aims_inside_the_screen() {
        let mut pay = button("pay", "Pay now", 0);
        pay.bounds = Some(rect(i32::MIN, 0, i32::MAX, 10));
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![pay],
        );
        let snapshot = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example",
            root,
        )]);
        let screen = encode(&snapshot, None);
        let effect = resolve(&Action::Tap { id: 1 }, &screen, &SecretStore::new());
        let Ok(Effect::Perform(actions)) = effect else {
            panic!("{effect:?}");
        };
        let [DeviceAction::Tap(target)] = actions.as_slice() else {
            panic!("{actions:?}");
        };
        assert_eq!(target.node_key, "pay");
        assert_eq!(target.bounds, rect(0, 0, 1080, 10));
        assert_eq!(target.bounds.center(), (540, 5));
    }
}
