//! The Settings form: the settings as text fields, checked field by field with the settings
//! file's own validators (so the form and the file agree word for word), and which changes need
//! a new connection.

use serde::{Deserialize, Serialize};
use url::Url;

use super::{
    endpoint_setting, guid_setting, market_setting, tenant_setting, ConnectionKind,
    EndpointOverrides, Language, Settings,
};
use crate::message::Message;
use crate::partner_center::Endpoints;

/// Where CSP Desk connects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectionChoice {
    Sandbox,
    PartnerCenter,
}

/// The endpoint overrides as the form edits them (empty: Microsoft's default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EndpointValues {
    pub partner_center: String,
    pub partner_api: String,
    pub arm: String,
    pub authority: String,
}

/// The settings as the form edits them: text fields, empty meaning "not set".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsValues {
    pub connection: ConnectionChoice,
    pub tenant_id: String,
    pub client_id: String,
    pub arm_subscription: String,
    /// Two-letter codes; the first is the default market.
    pub markets: Vec<String>,
    pub export_dir: String,
    /// The app's language: `system` follows the operating system.
    pub language: Language,
    pub endpoints: EndpointValues,
}

/// A setting the form must correct, named by its field (`clientId`, `endpoints.arm`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// `message` as a code, when the check has one.
    pub message_code: Option<Message>,
}

impl FieldError {
    fn said(field: &str, m: Message) -> FieldError {
        FieldError {
            field: field.into(),
            message: m.english(),
            message_code: Some(m),
        }
    }
}

pub fn values_of(s: &Settings) -> SettingsValues {
    let u = |u: &Option<Url>| u.as_ref().map(|u| u.to_string()).unwrap_or_default();
    SettingsValues {
        connection: match s.connection {
            ConnectionKind::Sandbox => ConnectionChoice::Sandbox,
            ConnectionKind::PartnerCenter => ConnectionChoice::PartnerCenter,
        },
        tenant_id: s.tenant_id.clone().unwrap_or_default(),
        client_id: s.client_id.clone().unwrap_or_default(),
        arm_subscription: s.arm_subscription.clone().unwrap_or_default(),
        markets: s.markets.clone(),
        export_dir: s
            .export_dir
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        language: s.language,
        endpoints: EndpointValues {
            partner_center: u(&s.endpoints.partner_center),
            partner_api: u(&s.endpoints.partner_api),
            arm: u(&s.endpoints.arm),
            authority: u(&s.endpoints.authority),
        },
    }
}

fn toml_str(v: &str) -> String {
    toml::Value::String(v.to_string()).to_string()
}

/// Checks each field with the settings file's own validators (so the form and the file agree
/// word for word), then builds the settings. `Err` lists every field to correct.
pub fn settings_from_values(v: &SettingsValues) -> std::result::Result<Settings, Vec<FieldError>> {
    let mut errors = vec![];
    fn check(errors: &mut Vec<FieldError>, field: &str, toml_text: String) -> Option<Settings> {
        match Settings::from_toml(&toml_text) {
            Ok(s) => Some(s),
            Err(p) => {
                errors.push(FieldError {
                    field: field.to_string(),
                    message: p.message,
                    message_code: None,
                });
                None
            }
        }
    }
    // The checks that have a code run first (the file's validators use the same ones, so the
    // words are the same); then the settings file's own parse.
    let coded = |errors: &mut Vec<FieldError>,
                 field: &str,
                 value: &str,
                 rule: fn(&str) -> std::result::Result<String, Message>| {
        let value = value.trim();
        match rule(value) {
            Err(m) if !value.is_empty() => {
                errors.push(FieldError::said(field, m));
                false
            }
            _ => true,
        }
    };
    let opt = |key: &str, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            String::new()
        } else {
            format!("{key} = {}", toml_str(value))
        }
    };
    let tenant = coded(&mut errors, "tenantId", &v.tenant_id, tenant_setting)
        .then(|| check(&mut errors, "tenantId", opt("tenant_id", &v.tenant_id)))
        .flatten();
    let client = coded(&mut errors, "clientId", &v.client_id, guid_setting)
        .then(|| check(&mut errors, "clientId", opt("client_id", &v.client_id)))
        .flatten();
    let arm = coded(
        &mut errors,
        "armSubscription",
        &v.arm_subscription,
        guid_setting,
    )
    .then(|| {
        check(
            &mut errors,
            "armSubscription",
            opt("arm_subscription", &v.arm_subscription),
        )
    })
    .flatten();
    let markets: Vec<toml::Value> = v
        .markets
        .iter()
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .map(|m| toml::Value::String(m.to_string()))
        .collect();
    let bad_market = v
        .markets
        .iter()
        .filter(|m| !m.trim().is_empty())
        .find_map(|m| market_setting(m).err());
    let markets = if markets.is_empty() {
        errors.push(FieldError::said("markets", Message::SettingNoMarket));
        None
    } else if let Some(m) = bad_market {
        errors.push(FieldError::said("markets", m));
        None
    } else {
        let list = toml::Value::Array(markets);
        check(&mut errors, "markets", format!("markets = {list}"))
    };
    let export = check(&mut errors, "exportDir", opt("export_dir", &v.export_dir));
    let e = &v.endpoints;
    let mut endpoint = |field: &str, key: &str, value: &str| {
        let field = format!("endpoints.{field}");
        let url = |v: &str| endpoint_setting(v).map(String::from);
        coded(&mut errors, &field, value, url)
            .then(|| {
                check(
                    &mut errors,
                    &field,
                    format!("[endpoints]\n{}", opt(key, value)),
                )
            })
            .flatten()
    };
    let pc = endpoint("partnerCenter", "partner_center", &e.partner_center);
    let papi = endpoint("partnerApi", "partner_api", &e.partner_api);
    let armep = endpoint("arm", "arm", &e.arm);
    let auth = endpoint("authority", "authority", &e.authority);
    let (
        Some(tenant),
        Some(client),
        Some(arm),
        Some(markets),
        Some(export),
        Some(pc),
        Some(papi),
        Some(armep),
        Some(auth),
    ) = (tenant, client, arm, markets, export, pc, papi, armep, auth)
    else {
        return Err(errors);
    };
    let s = Settings {
        connection: match v.connection {
            ConnectionChoice::Sandbox => ConnectionKind::Sandbox,
            ConnectionChoice::PartnerCenter => ConnectionKind::PartnerCenter,
        },
        tenant_id: tenant.tenant_id,
        client_id: client.client_id,
        arm_subscription: arm.arm_subscription,
        markets: markets.markets,
        export_dir: export.export_dir,
        // A choice of three: nothing to check, and it never needs a new connection.
        language: v.language,
        endpoints: EndpointOverrides {
            partner_center: pc.endpoints.partner_center,
            partner_api: papi.endpoints.partner_api,
            arm: armep.endpoints.arm,
            authority: auth.endpoints.authority,
        },
        // Not on the form: kept as the file has them (see `AppCore::save_settings`).
        updates: Default::default(),
    };
    // Partner Center needs an app registration to sign in with (a sandbox authority has its own).
    let sandbox_authority = s
        .endpoints
        .authority
        .as_ref()
        .is_some_and(Endpoints::is_loopback);
    if s.connection == ConnectionKind::PartnerCenter && s.client_id.is_none() && !sandbox_authority
    {
        return Err(vec![FieldError::said(
            "clientId",
            Message::SettingClientIdNeeded,
        )]);
    }
    Ok(s)
}

/// Whether two settings connect the same way (markets and the export folder do not matter).
pub fn same_connection(a: &Settings, b: &Settings) -> bool {
    a.connection == b.connection
        && a.tenant_id == b.tenant_id
        && a.client_id == b.client_id
        && a.arm_subscription == b.arm_subscription
        && a.endpoints == b.endpoints
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> SettingsValues {
        values_of(&Settings::default())
    }

    #[test]
    fn form_values_are_checked_field_by_field() {
        let mut v = values();
        assert_eq!(settings_from_values(&v).unwrap(), Settings::default());
        v.client_id = "nope".into();
        v.markets = vec!["USA".into()];
        v.endpoints.arm = "http://proxy.example.com".into();
        let errors = settings_from_values(&v).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["clientId", "markets", "endpoints.arm"],
            "{errors:?}"
        );
        assert!(errors[0].message.contains("not a GUID"), "{errors:?}");
        assert!(errors[2].message.contains("https://"), "{errors:?}");
        // The same words as the settings file's, with their codes for the UI.
        assert_eq!(
            errors[0].message,
            "`nope` is not a GUID (expected the form 00000000-0000-0000-0000-000000000000)"
        );
        assert_eq!(
            errors[0].message_code,
            Some(Message::SettingNotGuid {
                value: "nope".into()
            })
        );
        assert_eq!(
            errors[1].message,
            "`USA` is not a market: use two-letter country codes such as \"US\" or \"GB\""
        );
        assert_eq!(
            errors[1].message,
            Settings::from_toml("markets = [\"USA\"]")
                .unwrap_err()
                .message
        );
        assert_eq!(
            errors[1].message_code,
            Some(Message::SettingNotMarket {
                value: "USA".into()
            })
        );
        assert_eq!(
            errors[2].message_code,
            Some(Message::SettingNotSecure {
                value: "http://proxy.example.com/".into(),
                scheme: "http".into()
            })
        );
        assert_eq!(
            errors[2].message,
            Settings::from_toml("[endpoints]\narm = \"http://proxy.example.com\"")
                .unwrap_err()
                .message
        );
        // An endpoint: a URL, https:// or http:// on this machine only.
        for (typed, code) in [
            ("http://127.0.0.1:8080", None),
            ("http://localhost/", None),
            ("https://api.partnercenter.microsoft.com", None),
            ("ftp://example.com", Some("settingNotSecure")),
            ("api.example.com", Some("settingNotUrl")),
        ] {
            let mut e = values();
            e.endpoints.partner_center = typed.into();
            let got = settings_from_values(&e).err().map(|errs| {
                assert_eq!(errs[0].field, "endpoints.partnerCenter");
                serde_json::to_value(&errs[0].message_code).unwrap()["code"].clone()
            });
            assert_eq!(got, code.map(serde_json::Value::from), "{typed}");
        }
        v.client_id = String::new();
        v.markets = vec![];
        v.tenant_id = "contoso onmicrosoft".into();
        let errors = settings_from_values(&v).unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| e.message_code.clone()).collect();
        assert_eq!(
            codes,
            [
                Some(Message::SettingNotTenant {
                    value: "contoso onmicrosoft".into()
                }),
                Some(Message::SettingNoMarket),
                Some(Message::SettingNotSecure {
                    value: "http://proxy.example.com/".into(),
                    scheme: "http".into()
                })
            ]
        );
        assert_eq!(
            errors[0].message,
            Settings::from_toml("tenant_id = \"contoso onmicrosoft\"")
                .unwrap_err()
                .message
        );
        assert_eq!(
            errors[1].message,
            "pick at least one market: the first is the default"
        );

        let mut v = values();
        v.connection = ConnectionChoice::PartnerCenter;
        let errors = settings_from_values(&v).unwrap_err();
        assert_eq!(errors[0].field, "clientId");
        assert_eq!(errors[0].message_code, Some(Message::SettingClientIdNeeded));
        assert!(errors[0].message.starts_with(
            "Partner Center needs the application (client) id of your app registration"
        ));
        // … unless it signs in at a sandbox on this machine.
        let mut local = v.clone();
        local.endpoints.authority = "http://127.0.0.1:4000/".into();
        assert!(settings_from_values(&local).is_ok());
        v.client_id = " 11111111-2222-3333-4444-555555555555 ".into();
        v.markets = vec!["gb".into(), "".into(), "us".into()];
        let s = settings_from_values(&v).unwrap();
        assert_eq!(
            s.client_id.as_deref(),
            Some("11111111-2222-3333-4444-555555555555")
        );
        assert_eq!(s.markets, ["GB", "US"]);
        assert_eq!(values_of(&s).markets, ["GB", "US"]);

        // The language is kept as chosen, and changing it is not a new connection.
        v.language = Language::Ko;
        let ko = settings_from_values(&v).unwrap();
        assert_eq!(ko.language, Language::Ko);
        assert_eq!(values_of(&ko).language, Language::Ko);
        assert!(same_connection(&s, &ko));
        let text = ko.render();
        assert!(text.contains("\nlanguage = \"ko\"\n"), "{text}");
        assert_eq!(Settings::from_toml(&text).unwrap(), ko);
        assert!(Settings::from_toml("language = \"fr\"").is_err());
    }
}
