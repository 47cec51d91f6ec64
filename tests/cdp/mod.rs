//! A small Chrome DevTools Protocol client for the browser tests: headless Chromium driven over
//! `--remote-debugging-pipe` (CDP messages are JSON texts ended by a NUL byte; Chromium reads
//! them on fd 3 and writes on fd 4), one page in a flattened session, real mouse and key
//! events, downloads into a directory the `Browser` owns. No websocket, no extra crate. If
//! Chromium is missing the tests fail and say to install it; they never skip.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, PipeReader, PipeWriter, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// How long any wait (a response, an event, a condition, a download) may take.
pub const TIMEOUT: Duration = Duration::from_secs(20);
/// How long Chromium may take to start and answer its first command (a busy 2-core machine).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// What the reader thread has seen: responses by id, every event in order, and whether the
/// pipe has closed.
#[derive(Default)]
struct State {
    responses: HashMap<u64, Value>,
    events: Vec<Value>,
    closed: Option<String>,
}

/// The state shared with the reader thread, and the condition variable it signals.
type Shared = Arc<(Mutex<State>, Condvar)>;

/// A headless Chromium with one page (a tab attached in a flattened session).
pub struct Browser {
    child: Child,
    writer: Mutex<PipeWriter>,
    shared: Shared,
    next_id: Mutex<u64>,
    session: String,
    /// Download guids already returned by `wait_download`.
    consumed_downloads: Mutex<HashSet<String>>,
    /// Holds `profile/`, `downloads/` and `chromium.log` (Chromium's stderr).
    work: tempfile::TempDir,
}

/// `target/test-artifacts/`, created: where browser tests keep their screenshots.
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The Chromium binary: Debian's `/usr/bin/chromium` (or a usual alternative); panics if none.
pub fn chromium() -> PathBuf {
    for candidate in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "no Chromium found (/usr/bin/chromium): install Debian's `chromium` package \
         (scripts/test.sh does it) — the browser tests never skip"
    );
}

/// Locks a mutex, ignoring poisoning (a panicking test must still be able to clean up).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Makes `fd` (an inherited descriptor of the child) the descriptor `target`, not
/// closed on exec. Runs between fork and exec: async-signal-safe calls only.
fn move_fd(fd: RawFd, target: RawFd) -> std::io::Result<()> {
    // SAFETY: plain fcntl/dup2 on descriptors owned by this (forked) process.
    unsafe {
        if fd == target {
            let flags = libc::fcntl(fd, libc::F_GETFD);
            if flags == -1 || libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) == -1 {
                return Err(std::io::Error::last_os_error());
            }
        } else if libc::dup2(fd, target) == -1 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Reads NUL-terminated CDP messages until the pipe closes: responses by id, events queued.
fn read_messages(reader: PipeReader, shared: Shared) {
    let mut reader = BufReader::new(reader);
    let mut buf = Vec::new();
    let (state, cond) = &*shared;
    loop {
        buf.clear();
        match reader.read_until(0, &mut buf) {
            Ok(0) => {
                lock(state).closed = Some("Chromium closed the CDP pipe".into());
                break;
            }
            Ok(_) => {}
            Err(e) => {
                lock(state).closed = Some(format!("reading the CDP pipe: {e}"));
                break;
            }
        }
        if buf.last() == Some(&0) {
            buf.pop();
        }
        let message: Value = match serde_json::from_slice(&buf) {
            Ok(v) => v,
            Err(e) => {
                let text = String::from_utf8_lossy(&buf);
                lock(state).closed = Some(format!("unparsable CDP message ({e}): {text}"));
                break;
            }
        };
        let mut st = lock(state);
        if let Some(id) = message.get("id").and_then(Value::as_u64) {
            st.responses.insert(id, message);
        } else {
            st.events.push(message);
        }
        drop(st);
        cond.notify_all();
    }
    cond.notify_all();
}

/// A short, one-line description of an event for failure messages.
fn brief(event: &Value) -> String {
    let method = event["method"].as_str().unwrap_or("?");
    let mut params = event["params"].to_string();
    if params.chars().count() > 200 {
        params = params.chars().take(200).collect::<String>() + "…";
    }
    format!("{method} {params}")
}

impl Browser {
    /// Starts Chromium, opens a page of exactly `width`×`height` CSS px, enables `Page`,
    /// `Runtime` and `Log`, and lets downloads go to `downloads_dir()`.
    pub fn launch(width: u32, height: u32) -> Browser {
        let chromium = chromium();
        let work = tempfile::tempdir().expect("a temporary directory for Chromium");
        let profile = work.path().join("profile");
        let downloads = work.path().join("downloads");
        std::fs::create_dir_all(&profile).unwrap();
        std::fs::create_dir_all(&downloads).unwrap();
        let log = std::fs::File::create(work.path().join("chromium.log")).unwrap();

        // Commands go parent → child fd 3, responses and events child fd 4 → parent. The
        // std pipes are close-on-exec, so the parent's ends never reach Chromium.
        let (child_in, to_browser) = std::io::pipe().expect("a pipe");
        let (from_browser, child_out) = std::io::pipe().expect("a pipe");
        let (in_fd, out_fd) = (child_in.as_raw_fd(), child_out.as_raw_fd());

        let mut cmd = Command::new(&chromium);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--mute-audio",
            "--remote-debugging-pipe",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{height}"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        // Its own process group, so that Drop kills the renderers and helpers too.
        .process_group(0);
        // SAFETY: the closure only calls fcntl and dup2 (async-signal-safe).
        unsafe {
            cmd.pre_exec(move || {
                // Copy both ends above 10 first, so that neither dup2 clobbers the other.
                let hi_in = libc::fcntl(in_fd, libc::F_DUPFD_CLOEXEC, 10);
                let hi_out = libc::fcntl(out_fd, libc::F_DUPFD_CLOEXEC, 10);
                if hi_in == -1 || hi_out == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                move_fd(hi_in, 3)?;
                move_fd(hi_out, 4)
            });
        }
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start {} ({e}): install Debian's `chromium` package (scripts/test.sh \
                 does it) — the browser tests never skip",
                chromium.display()
            )
        });
        // Only Chromium may hold the child's ends: EOF on the pipe then means it is gone.
        drop(child_in);
        drop(child_out);

        let shared: Shared = Arc::default();
        let reader_shared = Arc::clone(&shared);
        thread::Builder::new()
            .name("cdp-reader".into())
            .spawn(move || read_messages(from_browser, reader_shared))
            .expect("the CDP reader thread");

        let mut browser = Browser {
            child,
            writer: Mutex::new(to_browser),
            shared,
            next_id: Mutex::new(0),
            session: String::new(),
            consumed_downloads: Mutex::new(HashSet::new()),
            work,
        };
        let target = browser.send(
            "Target.createTarget",
            json!({"url": "about:blank"}),
            None,
            START_TIMEOUT,
        );
        let target_id = target["targetId"].as_str().expect("a targetId").to_owned();
        let attached = browser.command(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("a sessionId")
            .to_owned();
        for domain in ["Page", "Runtime", "Log"] {
            browser.page_command(&format!("{domain}.enable"), json!({}));
        }
        browser.page_command(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser.command(
            "Browser.setDownloadBehavior",
            json!({
                "behavior": "allow",
                "downloadPath": downloads.to_str().expect("a UTF-8 temporary path"),
                "eventsEnabled": true,
            }),
        );
        browser
    }

    /// The directory downloads are saved into (removed with the `Browser`).
    pub fn downloads_dir(&self) -> PathBuf {
        self.work.path().join("downloads")
    }

    /// Sends a browser-level command and returns its `result` (panics on a CDP error).
    pub fn command(&self, method: &str, params: Value) -> Value {
        self.send(method, params, None, TIMEOUT)
    }

    /// Sends a command to the page's session and returns its `result` (panics on an error).
    pub fn page_command(&self, method: &str, params: Value) -> Value {
        self.send(method, params, Some(&self.session), TIMEOUT)
    }

    /// Sends one command and waits for its response.
    fn send(&self, method: &str, params: Value, session: Option<&str>, timeout: Duration) -> Value {
        let id = {
            let mut next = lock(&self.next_id);
            *next += 1;
            *next
        };
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        {
            let mut writer = lock(&self.writer);
            if let Err(e) = writer.write_all(&bytes).and_then(|()| writer.flush()) {
                panic!("sending {method} to Chromium: {e}{}", self.recent());
            }
        }
        let response = self.wait_state(&format!("the response to {method}"), timeout, |st| {
            st.responses.remove(&id)
        });
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}{}", self.recent());
        }
        response.get("result").cloned().unwrap_or(Value::Null)
    }

    /// Waits until `found` returns something, or panics after `timeout` (or if Chromium exits).
    fn wait_state<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut found: impl FnMut(&mut State) -> Option<T>,
    ) -> T {
        let (state, cond) = &*self.shared;
        let deadline = Instant::now() + timeout;
        let mut st = lock(state);
        loop {
            if let Some(value) = found(&mut st) {
                return value;
            }
            if let Some(closed) = st.closed.clone() {
                drop(st);
                panic!("waiting for {what}: {closed}{}", self.recent());
            }
            let now = Instant::now();
            if now >= deadline {
                drop(st);
                panic!(
                    "timed out after {:?} waiting for {what}{}",
                    timeout,
                    self.recent()
                );
            }
            st = cond
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// The number of events seen so far (a cursor for `wait_event`).
    pub fn event_count(&self) -> usize {
        lock(&self.shared.0).events.len()
    }

    /// Waits for an event `method` seen at or after the cursor `from` for which `matches` holds;
    /// returns its params.
    pub fn wait_event(&self, from: usize, method: &str, matches: impl Fn(&Value) -> bool) -> Value {
        self.wait_state(&format!("the event {method}"), TIMEOUT, |st| {
            st.events
                .get(from..)
                .unwrap_or_default()
                .iter()
                .find(|e| e["method"] == method && matches(&e["params"]))
                .map(|e| e["params"].clone())
        })
    }

    /// The last events seen and the end of Chromium's log, for failure messages.
    fn recent(&self) -> String {
        let events: Vec<String> = {
            let st = lock(&self.shared.0);
            let skip = st.events.len().saturating_sub(15);
            st.events[skip..].iter().map(brief).collect()
        };
        let log =
            std::fs::read_to_string(self.work.path().join("chromium.log")).unwrap_or_default();
        // Without a D-Bus in the container Chromium logs a stream of harmless D-Bus errors.
        let lines: Vec<&str> = log
            .lines()
            .filter(|l| !l.contains(":ERROR:dbus/"))
            .collect();
        let tail = lines[lines.len().saturating_sub(15)..].join("\n    ");
        let events = if events.is_empty() {
            "(none)".to_owned()
        } else {
            events.join("\n    ")
        };
        if tail.is_empty() {
            format!("\n  last events:\n    {events}")
        } else {
            format!("\n  last events:\n    {events}\n  Chromium's log (end):\n    {tail}")
        }
    }

    /// Navigates the page to `url` and waits for its load event.
    pub fn navigate(&self, url: &str) {
        let from = self.event_count();
        let result = self.page_command("Page.navigate", json!({"url": url}));
        if let Some(error) = result.get("errorText").and_then(Value::as_str) {
            panic!("navigating to {url}: {error}{}", self.recent());
        }
        self.wait_load(from);
    }

    /// Reloads the page and waits for its load event.
    pub fn reload(&self) {
        let from = self.event_count();
        self.page_command("Page.reload", json!({}));
        self.wait_load(from);
    }

    /// Waits for the page's load event after the cursor `from`.
    fn wait_load(&self, from: usize) {
        let session = self.session.clone();
        self.wait_state("Page.loadEventFired", TIMEOUT, |st| {
            st.events.get(from..).unwrap_or_default().iter().find(|e| {
                e["method"] == "Page.loadEventFired" && e["sessionId"] == session.as_str()
            })?;
            Some(())
        });
    }

    /// Evaluates `js` in the page (promises awaited) and returns its value; an exception
    /// is a panic.
    pub fn eval(&self, js: &str) -> Value {
        self.try_eval(js)
            .unwrap_or_else(|e| panic!("evaluating `{js}` threw: {e}{}", self.recent()))
    }

    /// Evaluates `js` in the page; `Err` holds the exception's text.
    pub fn try_eval(&self, js: &str) -> Result<Value, String> {
        let result = self.page_command(
            "Runtime.evaluate",
            json!({"expression": js, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(details) = result.get("exceptionDetails") {
            let text = details["exception"]["description"]
                .as_str()
                .or_else(|| details["text"].as_str())
                .unwrap_or("an exception");
            return Err(text.to_owned());
        }
        Ok(result["result"]
            .get("value")
            .cloned()
            .unwrap_or(Value::Null))
    }

    /// Polls the JS expression `js_condition` until it is truthy (panics after `TIMEOUT`).
    pub fn wait_for(&self, js_condition: &str) {
        let deadline = Instant::now() + TIMEOUT;
        let expression = format!("!!(\n{js_condition}\n)");
        loop {
            let last = match self.try_eval(&expression) {
                Ok(Value::Bool(true)) => return,
                Ok(v) => v.to_string(),
                Err(e) => format!("threw {e}"),
            };
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {TIMEOUT:?} waiting for `{js_condition}` (last: {last}){}",
                    self.recent()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Scrolls the element matched by `css_selector` into view and clicks its centre with
    /// real mouse events (panics if nothing matches, it has no size, or something covers it).
    pub fn click(&self, css_selector: &str) {
        let selector = serde_json::to_string(css_selector).unwrap();
        let js = format!(
            "(() => {{
                const el = document.querySelector({selector});
                if (!el) return {{error: 'no element matches'}};
                el.scrollIntoView({{block: 'center', inline: 'center', behavior: 'instant'}});
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0)
                    return {{error: `its box is ${{r.width}}×${{r.height}}`}};
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const hit = document.elementFromPoint(x, y);
                if (!hit || !(hit === el || el.contains(hit)))
                    return {{error: `it is covered at (${{x}}, ${{y}}) by ${{hit ? hit.outerHTML.slice(0, 120) : 'nothing (off screen)'}}`}};
                return {{x, y}};
            }})()"
        );
        let point = self.eval(&js);
        if let Some(error) = point.get("error").and_then(Value::as_str) {
            panic!("cannot click `{css_selector}`: {error}{}", self.recent());
        }
        let (x, y) = (point["x"].clone(), point["y"].clone());
        self.page_command(
            "Input.dispatchMouseEvent",
            json!({"type": "mouseMoved", "x": x, "y": y, "button": "none"}),
        );
        for kind in ["mousePressed", "mouseReleased"] {
            self.page_command(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1}),
            );
        }
    }

    /// Presses and releases a key with real key events: a single character ("j", "R", "5",
    /// " ") or a named key ("Enter", "Escape", "Tab", "Backspace", "Delete", arrows, …).
    pub fn press(&self, key: &str) {
        let mut chars = key.chars();
        let (code, vk, text, modifiers) = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let upper = c.to_ascii_uppercase();
                let (code, vk) = if c.is_ascii_alphabetic() {
                    (format!("Key{upper}"), upper as u32)
                } else if c.is_ascii_digit() {
                    (format!("Digit{c}"), c as u32)
                } else if c == ' ' {
                    ("Space".to_owned(), 32)
                } else {
                    (String::new(), 0)
                };
                // An upper-case letter is typed with Shift held, as on a keyboard.
                let shift = if c.is_ascii_uppercase() { 8 } else { 0 };
                (code, vk, Some(c.to_string()), shift)
            }
            _ => {
                let (vk, text) = match key {
                    "Enter" => (13, Some("\r")),
                    "Escape" => (27, None),
                    "Tab" => (9, None),
                    "Backspace" => (8, None),
                    "Delete" => (46, None),
                    "ArrowLeft" => (37, None),
                    "ArrowUp" => (38, None),
                    "ArrowRight" => (39, None),
                    "ArrowDown" => (40, None),
                    "Home" => (36, None),
                    "End" => (35, None),
                    "PageUp" => (33, None),
                    "PageDown" => (34, None),
                    _ => panic!("press: unknown key {key:?}"),
                };
                (key.to_owned(), vk, text.map(str::to_owned), 0)
            }
        };
        let mut down = json!({
            "type": if text.is_some() { "keyDown" } else { "rawKeyDown" },
            "key": key,
            "code": code,
            "windowsVirtualKeyCode": vk,
            "nativeVirtualKeyCode": vk,
            "modifiers": modifiers,
        });
        if let Some(text) = &text {
            down["text"] = json!(text);
            down["unmodifiedText"] = json!(text);
        }
        self.page_command("Input.dispatchKeyEvent", down);
        self.page_command(
            "Input.dispatchKeyEvent",
            json!({
                "type": "keyUp",
                "key": key,
                "code": code,
                "windowsVirtualKeyCode": vk,
                "nativeVirtualKeyCode": vk,
                "modifiers": modifiers,
            }),
        );
    }

    /// Inserts `s` into the focused element as if typed through an input method (CJK too).
    pub fn type_text(&self, s: &str) {
        self.page_command("Input.insertText", json!({"text": s}));
    }

    /// Waits until the download of `file_name` has completed and returns its bytes; the file
    /// is then removed from `downloads_dir()`, so the same name can be downloaded again.
    pub fn wait_download(&self, file_name: &str) -> Vec<u8> {
        let guid = {
            let consumed = lock(&self.consumed_downloads);
            self.wait_state(
                &format!("Browser.downloadWillBegin for {file_name}"),
                TIMEOUT,
                |st| {
                    st.events
                        .iter()
                        .filter(|e| e["method"] == "Browser.downloadWillBegin")
                        .map(|e| &e["params"])
                        .find(|p| {
                            p["suggestedFilename"] == file_name
                                && !consumed.contains(p["guid"].as_str().unwrap_or(""))
                        })
                        .and_then(|p| p["guid"].as_str().map(str::to_owned))
                },
            )
        };
        let done = self.wait_state(
            &format!("the download of {file_name} to complete"),
            TIMEOUT,
            |st| {
                st.events
                    .iter()
                    .filter(|e| e["method"] == "Browser.downloadProgress")
                    .map(|e| &e["params"])
                    .find(|p| {
                        p["guid"] == guid.as_str()
                            && matches!(p["state"].as_str(), Some("completed" | "canceled"))
                    })
                    .cloned()
            },
        );
        if done["state"] != "completed" {
            panic!("the download of {file_name} was canceled{}", self.recent());
        }
        lock(&self.consumed_downloads).insert(guid);
        // The completed event names the file (Chromium adds " (1)" if the name was taken).
        let path = done["filePath"]
            .as_str()
            .map_or_else(|| self.downloads_dir().join(file_name), PathBuf::from);
        if !path.exists() {
            let listing: Vec<String> = std::fs::read_dir(self.downloads_dir())
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            panic!(
                "the download of {file_name} completed but {} does not exist (the directory \
                 holds {listing:?}){}",
                path.display(),
                self.recent()
            );
        }
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("reading the download {}: {e}", path.display()));
        std::fs::remove_file(&path).ok();
        bytes
    }

    /// Saves a PNG screenshot of the whole page (beyond the viewport) to `path`.
    pub fn screenshot(&self, path: &Path) {
        let metrics = self.page_command("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let result = self.page_command(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": {
                    "x": 0, "y": 0,
                    "width": size["width"], "height": size["height"],
                    "scale": 1,
                },
            }),
        );
        let data = result["data"].as_str().expect("screenshot data");
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("base64 screenshot data");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).ok();
        }
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("writing the screenshot {}: {e}", path.display()));
    }

    /// Every error seen so far: uncaught exceptions, `console.error`/`console.assert`
    /// failures and error-level log entries.
    pub fn console_errors(&self) -> Vec<String> {
        let st = lock(&self.shared.0);
        st.events
            .iter()
            .filter_map(|e| {
                let p = &e["params"];
                match e["method"].as_str()? {
                    "Runtime.exceptionThrown" => {
                        let d = &p["exceptionDetails"];
                        let text = d["exception"]["description"]
                            .as_str()
                            .or_else(|| d["text"].as_str())
                            .unwrap_or("an exception");
                        match d["url"].as_str().filter(|u| !u.is_empty()) {
                            // CDP counts lines from 0.
                            Some(url) => {
                                let line = d["lineNumber"].as_u64().unwrap_or(0) + 1;
                                Some(format!("exception: {text} ({url}:{line})"))
                            }
                            None => Some(format!("exception: {text}")),
                        }
                    }
                    "Runtime.consoleAPICalled"
                        if matches!(p["type"].as_str(), Some("error" | "assert")) =>
                    {
                        let args: Vec<String> = p["args"]
                            .as_array()
                            .map(|args| {
                                args.iter()
                                    .map(|a| match a.get("value") {
                                        Some(Value::String(s)) => s.clone(),
                                        Some(v) => v.to_string(),
                                        None => a["description"].as_str().unwrap_or("?").to_owned(),
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        Some(format!(
                            "console.{}: {}",
                            p["type"].as_str()?,
                            args.join(" ")
                        ))
                    }
                    "Log.entryAdded" if p["entry"]["level"] == "error" => {
                        let entry = &p["entry"];
                        Some(format!(
                            "log ({}): {} {}",
                            entry["source"].as_str().unwrap_or("?"),
                            entry["text"].as_str().unwrap_or(""),
                            entry["url"].as_str().unwrap_or("")
                        ))
                    }
                    _ => None,
                }
            })
            .collect()
    }
}

impl Drop for Browser {
    /// Kills Chromium's whole process group and reaps it.
    fn drop(&mut self) {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: signals the process group this Browser created (process_group(0) above).
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
        self.child.kill().ok();
        self.child.wait().ok();
    }
}
