//! What a session shows about the device it was opened on: browser and system, read from
//! the User-Agent, so a user can tell her phone from the office computer. Nothing else of
//! the header is kept (versions and models narrow a person down needlessly).

/// "Chrome op Android", "Safari op iPhone", or "Onbekend apparaat".
pub fn describe(user_agent: &str) -> String {
    let has = |needle: &str| user_agent.contains(needle);
    // Order matters: Edge and Samsung Internet also say Chrome, Chrome also says Safari.
    let browser = [
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("Edg", "Edge"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(needle, _)| has(needle))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "Mac"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| has(needle))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} op {system}"),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => "Onbekend apparaat".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn common_phones_and_computers_are_named() {
        let android = "Mozilla/5.0 (Linux; Android 14; SM-A145R) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        assert_eq!(describe(android), "Chrome op Android");
        let samsung = "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36";
        assert_eq!(describe(samsung), "Samsung Internet op Android");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(describe(iphone), "Safari op iPhone");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(describe(edge), "Edge op Windows");
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(describe(firefox), "Firefox op Linux");
        assert_eq!(describe("reqwest/0.12"), "Onbekend apparaat");
        assert_eq!(describe(""), "Onbekend apparaat");
    }
}
