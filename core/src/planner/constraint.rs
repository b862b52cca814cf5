//! Which tokens may come next under the screen's action grammar: llguidance token masks for the
//! local planner.
//!
//! Why not llama.cpp's own grammar sampler: it tests candidates one by one against GBNF stacks,
//! and over Qwen's 151,936 tokens that costs as much as the decode step it constrains (10.5 ms
//! per token in the local_planner bench, 59 % of a decode step; BENCHMARKS.md). Checking only the few most
//! likely tokens first helps when the model is good, never when it is unsure. llguidance
//! instead walks a trie of the vocabulary's bytes against the grammar's automaton and prunes
//! whole subtrees at once, so a full mask costs a fraction of a millisecond whatever the logits
//! say. The grammar is the same per-screen grammar, converted to llguidance's Lark dialect
//! ([`gbnf_to_lark`]); this module's tests check that both dialects admit the same lines.
//!
//! The vocabulary ([`TokEnv`]) is built once per model by the one file that imports llama.cpp,
//! and so is the [`ActionConstraint`] (which precomputes token classes over it); each step
//! starts a fresh [`ActionMatcher`] from that step's grammar.

use std::collections::BTreeMap;

use llguidance::api::TopLevelGrammar;
use llguidance::{Matcher, ParserFactory};
use serde_json::Value;
use toktrie::{SimpleVob, TokEnv};

use super::PlanError;
use crate::action::{gbnf_to_lark, with_call_arguments};

/// The grammar machinery for one model's vocabulary: built once, starts a matcher per step.
pub(crate) struct ActionConstraint {
    factory: ParserFactory,
}

impl std::fmt::Debug for ActionConstraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionConstraint").finish_non_exhaustive()
    }
}

impl ActionConstraint {
    /// The machinery for `vocabulary` (its token byte strings and end-of-generation tokens).
    pub(crate) fn new(vocabulary: &TokEnv) -> Result<ActionConstraint, PlanError> {
        // No token "slices" (masks llguidance can precompute for common string lexemes): over
        // Qwen's vocabulary they cost memory at load and, measured on the action grammar, saved
        // nothing per token (BENCHMARKS.md).
        let mut factory =
            ParserFactory::new(vocabulary, toktrie::InferenceCapabilities::default(), &[])
                .map_err(|error| {
                    PlanError::Backend(format!(
                        "llguidance could not index the vocabulary: {error}"
                    ))
                })?;
        // Errors come back as values; nothing is printed to stderr from inside the planner.
        factory.quiet();
        Ok(ActionConstraint { factory })
    }

    /// A matcher at the start of one action under `gbnf` (a grammar from
    /// [`grammar_for_screen`](crate::action::grammar_for_screen)), with the arguments of each
    /// `call` whose action has a schema in `call_arguments` written under that schema
    /// ([`GrammarContext::app_action_arguments`](crate::action::GrammarContext)).
    pub(crate) fn start(
        &self,
        gbnf: &str,
        call_arguments: &BTreeMap<String, Value>,
    ) -> Result<ActionMatcher, PlanError> {
        let lark = gbnf_to_lark(gbnf).map_err(PlanError::Backend)?;
        let arguments: BTreeMap<String, Value> = call_arguments
            .iter()
            .map(|(name, schema)| (name.clone(), compact(schema.clone())))
            .collect();
        if !arguments.is_empty() {
            // An app's schema llguidance cannot compile (a keyword it does not support) must
            // not stop every step on the phone: the calls then take the GBNF's object, and the
            // arguments are still checked against the schema before the call.
            let fitted = with_call_arguments(&lark, &arguments)
                .map_err(PlanError::Backend)
                .and_then(|fitted| self.start_grammar(TopLevelGrammar::from_lark(fitted)));
            if let Ok(matcher) = fitted {
                return Ok(matcher);
            }
        }
        self.start_grammar(TopLevelGrammar::from_lark(lark))
    }

    /// A matcher at the start of one JSON value under `schema` (a plan, for the planning
    /// turn; see `plan_json::plan_schema`).
    pub(crate) fn start_json(&self, schema: Value) -> Result<ActionMatcher, PlanError> {
        self.start_grammar(TopLevelGrammar::from_json_schema(schema))
    }

    fn start_grammar(&self, grammar: TopLevelGrammar) -> Result<ActionMatcher, PlanError> {
        let parser = self.factory.create_parser(grammar).map_err(|error| {
            PlanError::Backend(format!("llguidance rejected the grammar: {error}"))
        })?;
        let matcher = Matcher::new(Ok(parser));
        if let Some(error) = matcher.get_error() {
            return Err(PlanError::Backend(format!(
                "llguidance rejected the grammar: {error}"
            )));
        }
        Ok(ActionMatcher {
            matcher,
            mask: None,
        })
    }
}

/// One action being generated: the grammar's position after the tokens accepted so far.
pub(crate) struct ActionMatcher {
    matcher: Matcher,
    /// The mask at this position, once computed (asked for twice when the planner first checks
    /// whether only the end remains).
    mask: Option<SimpleVob>,
}

impl ActionMatcher {
    /// The tokens that may come next (only end-of-generation once the action is complete and
    /// cannot go on).
    pub(crate) fn allowed(&mut self) -> Result<SimpleVob, PlanError> {
        if let Some(mask) = &self.mask {
            return Ok(mask.clone());
        }
        let mask = self
            .matcher
            .compute_mask_or_eos()
            .map_err(|error| PlanError::Backend(format!("llguidance mask: {error}")))?;
        self.mask = Some(mask.clone());
        Ok(mask)
    }

    /// Whether the grammar is complete and admits nothing but the end: the tokens accepted so
    /// far are the whole answer, and no logits are needed to end it.
    pub(crate) fn only_end_remains(&mut self) -> Result<bool, PlanError> {
        if self.matcher.is_stopped() {
            return Ok(true);
        }
        let mask = self.allowed()?;
        let ends = self
            .matcher
            .tok_env()
            .map_err(|error| PlanError::Backend(format!("llguidance: {error}")))?
            .tok_trie()
            .eos_token_set();
        if mask.num_set() == 0 || mask.num_set() > ends.num_set() {
            return Ok(false);
        }
        let mut only_ends = true;
        mask.iter_set_entries(|token| only_ends &= ends.is_allowed(token as u32));
        Ok(only_ends)
    }

    /// The tokens the grammar forces next (the only way on from here, as JSON keys and
    /// punctuation are), not yet accepted; empty when the next token is a choice.
    pub(crate) fn forced(&mut self) -> Vec<u32> {
        self.matcher.compute_ff_tokens()
    }

    /// Moves past `tokens` in order.
    pub(crate) fn accept_all(&mut self, tokens: &[u32]) -> Result<(), PlanError> {
        self.mask = None;
        self.matcher
            .consume_tokens(tokens)
            .map_err(|error| PlanError::Backend(format!("llguidance rejected a token: {error}")))
    }

    /// Moves past `token`, which [`allowed`](Self::allowed) admitted.
    pub(crate) fn accept(&mut self, token: u32) -> Result<(), PlanError> {
        self.mask = None;
        self.matcher
            .consume_token(token)
            .map_err(|error| PlanError::Backend(format!("llguidance rejected a token: {error}")))
    }

    /// Takes back the last `count` accepted tokens (a draft the model did not confirm).
    pub(crate) fn rollback(&mut self, count: usize) -> Result<(), PlanError> {
        self.mask = None;
        self.matcher
            .rollback(count)
            .map_err(|error| PlanError::Backend(format!("llguidance rollback: {error}")))
    }
}

/// `schema` with no whitespace in the JSON it constrains: `,` between items and `:` after keys,
/// as `serde_json` writes JSON and as the prompts' examples do. One way to write each value,
/// and the fewest tokens: in Qwen's vocabulary a space is a token of its own before a number
/// and ends up in tokens such as ` "`, so a spaced plan (`, ` and `: `) took 41 tokens where
/// this takes 29 (`{"subgoals":[{"goal":"","route":{"kind":"intent","name":"set_alarm",…}}]}`),
/// each evaluated by the model.
pub(crate) fn compact(mut schema: Value) -> Value {
    if let Value::Object(fields) = &mut schema {
        fields.insert(
            "x-guidance".into(),
            serde_json::json!({
                "whitespace_flexible": false, "item_separator": ",", "key_separator": ":"}),
        );
    }
    schema
}

/// The allowed token with the highest logit: greedy decoding under the mask.
pub(crate) fn best_allowed(logits: &[f32], allowed: &SimpleVob) -> Option<u32> {
    let mut best: Option<(u32, f32)> = None;
    allowed.iter_set_entries(|index| {
        let Some(&logit) = logits.get(index) else {
            return;
        };
        if best.is_none_or(|(_, top)| logit > top) {
            best = u32::try_from(index).ok().map(|token| (token, logit));
        }
    });
    best.map(|(token, _)| token)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use toktrie::ApproximateTokEnv;

    use super::*;
    use crate::action::gbnf_check::CheckedGrammar;
    use crate::action::gbnf_check::tests::{buttons_only, empty, large_ids, typical};
    use crate::action::grammar_for_screen;

    /// Whether llguidance, fed `line` one byte per token, ends in an accepting state.
    fn llguidance_accepts(constraint: &ActionConstraint, gbnf: &str, line: &str) -> bool {
        llguidance_accepts_with(constraint, gbnf, &BTreeMap::new(), line)
    }

    /// [`llguidance_accepts`] with `call` arguments under `call_arguments`.
    fn llguidance_accepts_with(
        constraint: &ActionConstraint,
        gbnf: &str,
        call_arguments: &BTreeMap<String, Value>,
        line: &str,
    ) -> bool {
        let mut matcher = constraint.start(gbnf, call_arguments).unwrap();
        for byte in line.bytes() {
            let allowed = matcher.allowed().unwrap();
            if !allowed.is_allowed(u32::from(byte)) {
                return false;
            }
            matcher.accept(u32::from(byte)).unwrap();
        }
        matcher.matcher.is_accepting().unwrap()
    }

    /// `line` with one byte changed, dropped or doubled, chosen by `seed`.
    fn mutate(line: &str, seed: usize) -> String {
        let mut bytes = line.as_bytes().to_vec();
        if bytes.is_empty() {
            return "x".into();
        }
        let at = seed % bytes.len();
        match seed % 3 {
            0 => bytes[at] = b"0123456789 \"\\xyz"[seed % 16],
            1 => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, bytes[at]),
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn both_dialects_admit_the_same_lines() {
        let constraint = ActionConstraint::new(&ApproximateTokEnv::single_byte_env()).unwrap();
        let mut rng = StdRng::seed_from_u64(44);
        let (mut admitted, mut refused) = (0, 0);
        for (elements, context) in [typical(), buttons_only(), large_ids(), empty()] {
            let gbnf = grammar_for_screen(&elements, &context);
            let checked = CheckedGrammar::parse(&gbnf).unwrap();
            for round in 0..60 {
                let sampled = checked.sample(&mut rng);
                for line in [sampled.clone(), mutate(&sampled, round * 7 + 3)] {
                    let expected = checked.derives(&line);
                    assert_eq!(
                        llguidance_accepts(&constraint, &gbnf, &line),
                        expected,
                        "{line:?} under\n{gbnf}"
                    );
                    if expected {
                        admitted += 1
                    } else {
                        refused += 1
                    }
                }
            }
        }
        assert!(
            admitted >= 240 && refused >= 60,
            "{admitted} admitted, {refused} refused"
        );
    }

    /// A note's arguments and a checkout's, as apps declare them (`sim/actions`).
    fn declared_arguments() -> BTreeMap<String, Value> {
        BTreeMap::from([
            (
                "notes.create_note".to_owned(),
                serde_json::json!({
                    "type": "object",
                    "properties": {
                        "title": {"type": "string", "minLength": 1, "maxLength": 80},
                        "body": {"type": "string"},
                    },
                    "required": ["title"],
                    "additionalProperties": false,
                }),
            ),
            (
                "shop.checkout".to_owned(),
                serde_json::json!({
                    "type": "object",
                    "properties": {"items": {"type": "integer", "minimum": 1, "maximum": 20}},
                    "required": ["items"],
                    "additionalProperties": false,
                }),
            ),
        ])
    }

    #[test]
    fn a_call_admits_only_declared_actions_with_arguments_that_fit_their_schema() {
        let constraint = ActionConstraint::new(&ApproximateTokEnv::single_byte_env()).unwrap();
        let (elements, mut context) = typical();
        let arguments = declared_arguments();
        // Every action declared with a schema, and one announced without (any small object).
        for with_legacy in [false, true] {
            context.app_actions = arguments.keys().cloned().collect();
            if with_legacy {
                context.app_actions.push("legacy.ping".into());
            }
            let gbnf = grammar_for_screen(&elements, &context);
            let accepts =
                |line: &str| llguidance_accepts_with(&constraint, &gbnf, &arguments, line);
            for line in [
                r#"call notes.create_note {"title":"Packing","body":"passport"}"#,
                r#"call notes.create_note {"title":"Packing"}"#,
                r#"call shop.checkout {"items":3}"#,
                "tap 1",
                "back",
            ] {
                assert!(accepts(line), "{line} refused under\n{gbnf}");
            }
            for line in [
                // A required argument missing, a wrong type, one the schema does not declare,
                // a number out of range, an action no app declared, spacing of another kind.
                r#"call notes.create_note {"body":"passport"}"#,
                r#"call notes.create_note {"title":3}"#,
                r#"call notes.create_note {"title":"Packing","colour":"red"}"#,
                r#"call notes.create_note {"title":""}"#,
                r#"call shop.checkout {"items":0}"#,
                r#"call shop.checkout {"items":21}"#,
                r#"call notes.delete_note {"title":"Packing"}"#,
                r#"call notes.create_note {"title": "Packing"}"#,
            ] {
                assert!(!accepts(line), "{line} admitted under\n{gbnf}");
            }
            // The action announced without a schema keeps the GBNF's object, only while it is
            // there.
            assert_eq!(accepts(r#"call legacy.ping {"n":1}"#), with_legacy);
            // Without the schemas, the GBNF's own object is what a call takes.
            assert!(llguidance_accepts(
                &constraint,
                &gbnf,
                r#"call notes.create_note {"colour":"red"}"#
            ));
        }
    }

    #[test]
    fn a_schema_llguidance_cannot_compile_leaves_the_calls_to_the_generic_object() {
        let constraint = ActionConstraint::new(&ApproximateTokEnv::single_byte_env()).unwrap();
        let (elements, mut context) = typical();
        context.app_actions = vec!["odd.action".into()];
        let gbnf = grammar_for_screen(&elements, &context);
        let odd = BTreeMap::from([(
            "odd.action".to_owned(),
            serde_json::json!({"type": "object", "if": {"required": ["a"]}, "then": {}}),
        )]);
        // llguidance refuses the schema itself ...
        let fitted = with_call_arguments(&gbnf_to_lark(&gbnf).unwrap(), &odd).unwrap();
        assert!(
            constraint
                .start_grammar(TopLevelGrammar::from_lark(fitted))
                .is_err()
        );
        // ... and the step still starts, the call with the GBNF's object.
        assert!(llguidance_accepts_with(
            &constraint,
            &gbnf,
            &odd,
            r#"call odd.action {"b":1}"#
        ));
        assert!(llguidance_accepts_with(&constraint, &gbnf, &odd, "tap 1"));
    }

    #[test]
    fn a_complete_action_that_cannot_go_on_allows_only_the_end() {
        let constraint = ActionConstraint::new(&ApproximateTokEnv::single_byte_env()).unwrap();
        let gbnf = "root ::= \"back\"\n";
        let mut matcher = constraint.start(gbnf, &BTreeMap::new()).unwrap();
        for byte in b"back" {
            matcher.accept(u32::from(*byte)).unwrap();
        }
        let allowed = matcher.allowed().unwrap();
        let eos = ApproximateTokEnv::single_byte_env().tok_trie().eos_token();
        assert!(allowed.is_allowed(eos));
        assert_eq!(allowed.num_set(), 1);
    }

    #[test]
    fn greedy_under_a_mask_takes_the_best_allowed_logit() {
        let mut allowed = SimpleVob::alloc(6);
        allowed.allow_token(1);
        allowed.allow_token(4);
        assert_eq!(
            best_allowed(&[9.0, 1.0, 8.0, 7.0, 2.0, 0.0], &allowed),
            Some(4)
        );
        assert_eq!(best_allowed(&[0.0; 6], &SimpleVob::alloc(6)), None);
    }

    #[test]
    fn a_grammar_outside_the_subset_is_an_error_not_a_panic() {
        let constraint = ActionConstraint::new(&ApproximateTokEnv::single_byte_env()).unwrap();
        assert!(matches!(
            constraint.start("root ::= weird stuff ;", &BTreeMap::new()),
            Err(PlanError::Backend(_))
        ));
        assert!(matches!(
            constraint.start("root ::= missing-rule\n", &BTreeMap::new()),
            Err(PlanError::Backend(_))
        ));
    }
}
