//! The report pack as a Dutch A4 document: the period, the location, for each section how
//! its figures are counted, and each figure beside the same period a year before.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::pdf::Document;

/// A section of the pack: the first part of its figures' keys, its Dutch title, and how
/// its figures are counted.
struct Section {
    key: &'static str,
    title: &'static str,
    counted: &'static str,
}

const SECTIONS: [Section; 11] = [
    Section {
        key: "contacts",
        title: "Contacten",
        counted: "Contacten met bekende vrouwen en anonieme bezoekers op de lokale dagen van de \
                  periode (Europe/Amsterdam). Een dienst is gehouden als iemand incheckte of er \
                  een contact op werd geregistreerd; het gemiddelde is het bezoek op gehouden \
                  diensten gedeeld door hun aantal. Instroom: intake of eerste contact ooit in \
                  de periode. Uitstroom: afgesloten met een einddatum in de periode.",
    },
    Section {
        key: "living_room",
        title: "Huiskamer De Cirkel",
        counted: "De huiskamer (iedere locatie van de soort huiskamer), ook als het pakket voor \
                  een andere locatie is gevraagd. Als bezoek telt ieder contact met een bekende \
                  vrouw en iedere anonieme bezoeker in de periode. Instroom: haar eerste bezoek \
                  ooit aan de huiskamer valt in de periode. Uitstroom: afgesloten met een \
                  einddatum in de periode, na een bezoek aan de huiskamer in de twaalf maanden \
                  tot en met die dag.",
    },
    Section {
        key: "services",
        title: "Diensten per locatie",
        counted: "Per locatie en per dienst de contacten in de periode waarbij die dienst is \
                  gegeven; anonieme bezoekers tellen met hun aantal. Eén contact kan meer \
                  diensten hebben. Contacten zonder locatie (telefoon) tellen niet mee.",
    },
    Section {
        key: "clients",
        title: "Caseload en categorieën",
        counted: "Iedere cliënt met een intake vóór het einde van de periode, naar haar status op \
                  de laatste dag. Regio, verslaving, Beschermd Wonen, bekendheid bij de \
                  Huiskamer en registratie van de cliënten die toen niet waren afgesloten, zoals \
                  haar dossier ze nu bevat. Buiten beeld: 90 dagen zonder contact aan het einde \
                  van de periode.",
    },
    Section {
        key: "registrations",
        title: "Registraties",
        counted: "Aanvragen, toekenningen, weigeringen, verlopen, verlengingen en beëindigingen \
                  in de periode.",
    },
    Section {
        key: "care",
        title: "Time-out, Beschermd Wonen Licht en flexbudget",
        counted: "Time-outs die in de periode begonnen (niet geannuleerd) en hun dagen, tegen de \
                  6 per jaar van het plan. Nachten Beschermd Wonen Licht in de periode tegen het \
                  budget in weken van het jaar. Uitgaven uit het flexbudget in de periode, per \
                  categorie, tegen het budget van het jaar.",
    },
    Section {
        key: "plan",
        title: "Voortgang op de leefgebieden (ZRM)",
        counted: "Per leefgebied de vrouwen wier laatste score in de periode hoger, gelijk of \
                  lager is dan haar eerste in de periode.",
    },
    Section {
        key: "referrals",
        title: "Verwijzingen",
        counted: "Per soort: aangevraagd in de periode; gestart in de periode, met de mediane \
                  wachttijd van aanvraag tot start; en aan het einde van de periode nog \
                  wachtend. Een verwijzing die over het einde van de periode heen wacht, telt \
                  als wachtend en als gestart in de periode waarin ze begint.",
    },
    Section {
        key: "stagnations",
        title: "Stagnaties",
        counted: "Opgeschaald naar de procesregisseur in de periode, en in de periode afgesloten.",
    },
    Section {
        key: "signals",
        title: "Signalen",
        counted: "Signalen die in de periode plaatsvonden, per soort; nooit wat ze zeggen.",
    },
    Section {
        key: "staffing",
        title: "Bezetting",
        counted: "Uren op dienst per rol, van inchecken tot uitchecken (of het einde van de \
                  dienst), in echte uren: een nacht over de wisseling van zomer- en wintertijd \
                  telt één uur minder of meer. Tegen de contracturen per week die de \
                  coördinator invult, maal de weken van de periode.",
    },
];

/// A code's Dutch word, within the section it appears in.
fn word(code: &str) -> &str {
    match code {
        "total" => "totaal",
        "named" => "met bekende vrouwen",
        "anonymous" => "anonieme bezoekers",
        "unique_clients" => "unieke cliënten",
        "shifts_held" => "diensten gehouden",
        "average_visitors_per_shift" => "gemiddeld bezoek per dienst",
        "new_clients" => "instroom",
        "clients_left" => "uitstroom",
        "caseload" => "caseload",
        "open" => "niet afgesloten",
        "active" => "eigen caseload",
        "regular_care" => "reguliere zorg",
        "closed" => "afgesloten",
        "region" => "regio",
        "nijmegen" => "Nijmegen",
        "mo_region" => "regio Nijmegen",
        "outside" => "buiten de regio",
        "addiction" => "verslaving",
        "yes" => "ja",
        "no" => "nee",
        "unknown" => "onbekend",
        "sheltered_housing" => "Beschermd Wonen",
        "known_at_huiskamer" => "bekend bij de Huiskamer",
        "registered" => "met registratie",
        "out_of_view" => "buiten beeld",
        "outflow" => "uitstroom naar reden",
        "moved_away" => "verhuisd",
        "stopped_sex_work" => "gestopt met sekswerk",
        "detained" => "gedetineerd",
        "deceased" => "overleden",
        "other" => "anders",
        "applied" => "aangevraagd",
        "granted" => "toegekend",
        "refused" => "geweigerd",
        "expired" => "verlopen",
        "renewed" => "verlengd",
        "ended" => "beëindigd",
        "timeout_stays" => "time-outs",
        "timeout_days" => "dagen time-out",
        "timeout_stays_planned_per_year" => "time-outs gepland per jaar",
        "sheltered_housing_nights" => "nachten Beschermd Wonen Licht",
        "sheltered_housing_budget_weeks" => "budget Beschermd Wonen Licht (weken)",
        "flex_spent_cents" => "flexbudget besteed",
        "flex_budget_cents" => "flexbudget van het jaar",
        "clothing" => "kleding",
        "sleeping_gear" => "slaapspullen",
        "food" => "eten",
        "transport" => "vervoer",
        "phone" => "telefoon",
        "housing" => "huisvesting",
        "documents" => "documenten",
        "finances" => "Financiën",
        "work_education" => "Werk & opleiding",
        "time_use" => "Tijdsbesteding",
        "domestic_relations" => "Huiselijke relaties",
        "mental_health" => "Geestelijke gezondheid",
        "physical_health" => "Lichamelijke gezondheid",
        "substance_use" => "Middelengebruik",
        "basic_adl" => "Basale ADL",
        "instrumental_adl" => "Instrumentele ADL",
        "social_network" => "Sociaal netwerk",
        "social_participation" => "Maatschappelijke participatie",
        "justice" => "Justitie",
        "improved" => "verbeterd",
        "equal" => "gelijk",
        "declined" => "achteruit",
        "diagnostics" => "diagnostiek",
        "treatment" => "behandeling",
        "housing_application" => "woningaanvraag",
        "time_out" => "time-out",
        "exit_support" => "uitstapbegeleiding",
        "debt_income" => "schulden en inkomen",
        "identity_papers" => "identiteitspapieren",
        "home_region" => "terug naar eigen regio",
        "requested" => "aangevraagd",
        "started" => "gestart",
        "median_wait_days" => "mediane wachttijd (dagen)",
        "waiting_at_end" => "wachtend aan het einde",
        "opened" => "gemeld",
        "resolved" => "afgesloten",
        "new_face" => "nieuw gezicht",
        "violence" => "geweld",
        "dangerous_customer" => "gevaarlijke klant",
        "trafficking" => "mensenhandel",
        "health_concern" => "zorg om gezondheid",
        "other_trend" => "andere trend",
        "coordinator" => "Coördinator",
        "casemanager" => "Casemanager",
        "peer" => "Ervaringsdeskundige",
        "hours_on_shift" => "uren op dienst",
        "contracted_hours" => "contracturen",
        "visits" => "bezoeken",
        "condoms" => "condooms",
        "needle_exchange" => "spuitomruil",
        "information" => "voorlichting",
        "sti_check" => "soa-test",
        "contraception" => "anticonceptie",
        "meal" => "maaltijd",
        "conversation" => "gesprek",
        other => other,
    }
}

/// A figure's Dutch label: the words of its key after the section, first one capitalised
/// (`clients.outflow.moved_away`: "Uitstroom naar reden: verhuisd"); in the services, the
/// location's name for its code (`services.cirkel.condoms`: "Huiskamer De Cirkel:
/// condooms").
fn label(key: &str, location_names: &BTreeMap<String, String>) -> String {
    let mut codes = key.split('.');
    let services = codes.next() == Some("services");
    let words: Vec<&str> = codes
        .enumerate()
        .map(|(at, code)| match location_names.get(code) {
            Some(name) if services && at == 0 => name.as_str(),
            _ => word(code),
        })
        .collect();
    let text = words.join(": ");
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A figure as the document prints it: a decimal comma, money in euros, "–" for none.
fn shown(key: &str, value: &Value) -> String {
    match value {
        Value::Null => "–".to_owned(),
        Value::String(text) => text.clone(),
        Value::Number(number) if key.contains("_cents") => {
            let cents = number.as_i64().unwrap_or(0);
            format!("€ {},{:02}", cents / 100, cents % 100)
        }
        Value::Number(number) => number.to_string().replace('.', ","),
        other => other.to_string(),
    }
}

/// What the pack's heading says.
pub struct Heading<'a> {
    pub period: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    /// The period a year before as (name, from, to).
    pub year_before: Option<(&'a str, &'a str, &'a str)>,
    pub location: Option<&'a str>,
    /// The locations' names by code, for the services' labels.
    pub location_names: &'a BTreeMap<String, String>,
    pub protected: bool,
}

/// The document: the heading, then each section with how it is counted and its figures
/// (`(key, value, value a year before)`, in the pack's order), then the caseload per
/// casemanager when it is given.
pub fn document(
    heading: &Heading,
    figures: &[(&str, &Value, &Value)],
    casemanagers: &[(&str, i64)],
) -> Vec<u8> {
    let title = format!("InBeeld verantwoording {}", heading.period);
    let mut doc = Document::new();
    doc.title(&title);
    doc.paragraph(&format!(
        "Periode: {} ({} tot en met {}).",
        heading.period, heading.from, heading.to
    ));
    doc.paragraph(&format!(
        "Locatie: {}.",
        heading.location.unwrap_or("alle locaties")
    ));
    let before = heading.year_before.map_or("–", |(name, _, _)| name);
    if let Some((name, from, to)) = heading.year_before {
        doc.paragraph(&format!(
            "Vergeleken met dezelfde periode een jaar eerder: {name} ({from} tot en met {to})."
        ));
    }
    if heading.protected {
        doc.paragraph(
            "Cijfers voor buiten het team: een aantal onder 5 staat er als <5, net als een \
             aantal waaruit zo'n klein aantal terug te rekenen is (een totaal min de andere \
             delen); de andere aantallen zijn afgerond op 5. Geen namen, codes of vrije tekst.",
        );
    }
    for section in &SECTIONS {
        let prefix = format!("{}.", section.key);
        doc.heading(section.title);
        doc.paragraph(section.counted);
        doc.row(&["", heading.period, before], true);
        for (key, value, year_before) in figures.iter().filter(|(k, _, _)| k.starts_with(&prefix)) {
            let cells = [
                label(key, heading.location_names),
                shown(key, value),
                shown(key, year_before),
            ];
            doc.row(&cells.each_ref().map(String::as_str), false);
        }
    }
    if !casemanagers.is_empty() {
        doc.heading("Caseload per casemanager");
        doc.paragraph("Haar niet afgesloten cliënten aan het einde van de periode.");
        for &(name, clients) in casemanagers {
            doc.row(&[name, clients.to_string().as_str()], false);
        }
    }
    doc.finish(&title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn figures_are_named_and_written_in_dutch() {
        let names = BTreeMap::from([("cirkel".to_owned(), "Huiskamer De Cirkel".to_owned())]);
        assert_eq!(
            label("clients.outflow.moved_away", &names),
            "Uitstroom naar reden: verhuisd"
        );
        assert_eq!(
            label("plan.finances.improved", &names),
            "Financiën: verbeterd"
        );
        assert_eq!(
            label("staffing.coordinator.hours_on_shift", &names),
            "Coördinator: uren op dienst"
        );
        assert_eq!(
            label("services.cirkel.sti_check", &names),
            "Huiskamer De Cirkel: soa-test"
        );
        assert_eq!(label("living_room.visits", &names), "Bezoeken");
        assert_eq!(shown("care.flex_spent_cents", &json!(2_505)), "€ 25,05");
        assert_eq!(
            shown("contacts.average_visitors_per_shift", &json!(3.5)),
            "3,5"
        );
        assert_eq!(shown("contacts.total", &json!("<5")), "<5");
        assert_eq!(shown("referrals.other.median_wait_days", &Value::Null), "–");
    }
}
