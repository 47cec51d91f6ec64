//! `translate` against hostile servers on loopback: an endless body, redirect loops, a redirect
//! off loopback, a server that never answers, a port that never accepts, TLS spoken to a plain
//! server. Each run must end with a clear error (exit 2), without running out of memory.
//! Every server here is a tiny thread on 127.0.0.1 that serves a bounded number of
//! connections and stops by itself.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A hang guard for each run, not a timing assertion.
const DEADLINE: Duration = Duration::from_secs(300);

struct Server {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

/// Serves at most `max_connections` connections with `handle`, each on its own thread.
fn serve(max_connections: usize, handle: fn(TcpStream, SocketAddr)) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(max_connections) {
            let Ok(stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || handle(stream, addr));
        }
    });
    Server { addr, requests }
}

/// Reads one request's head and body (by Content-Length); false when the client went away.
fn read_request(reader: &mut BufReader<TcpStream>) -> bool {
    let mut length = 0usize;
    let mut first = true;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
        if first {
            first = false;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body).is_ok()
}

fn transmend(home: &Path, endpoint: &str, extra: &[&str]) -> Command {
    let input = home.join("note.zh.txt");
    std::fs::write(&input, "工党的全国执行委员会开会了。\n").unwrap();
    let mut cmd = common::transmend();
    for var in [
        "TRANSMEND_ENGINE",
        "TRANSMEND_ENDPOINT",
        "TRANSMEND_API_KEY",
        "LIBRETRANSLATE_API_KEY",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .arg("translate")
        .arg(&input)
        .args(["--to", "en", "--engine", "libretranslate", "--no-cache"])
        .args([
            "--endpoint",
            endpoint,
            "--retries",
            "0",
            "--retry-delay-ms",
            "5",
        ])
        .arg("--out")
        .arg(home.join("out"))
        .args(extra);
    cmd
}

/// Runs with a hang guard; stdout and stderr go to files so no pipe fills up.
fn run(mut cmd: Command, home: &Path) -> (Output, String) {
    let err_path = home.join("stderr.log");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("translate did not end within {DEADLINE:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::fs::read_to_string(&err_path).unwrap();
    (
        Output {
            status,
            stdout: Vec::new(),
            stderr: stderr.clone().into_bytes(),
        },
        stderr,
    )
}

fn no_outputs(home: &Path) -> bool {
    std::fs::read_dir(home.join("out")).map_or(true, |mut d| d.next().is_none())
}

/// Answers 200 with a chunked body of JSON white space that never ends (up to 4 GiB, or until
/// the client hangs up).
fn endless_body(stream: TcpStream, _: SocketAddr) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if !read_request(&mut reader) {
        return;
    }
    let mut stream = stream;
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let chunk = vec![b' '; 1 << 20];
    let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
    for _ in 0..4096 {
        if stream.write_all(&frame).is_err() {
            return;
        }
    }
}

/// Declares a body of 5 GB up front and sends a little of it.
fn declared_huge(stream: TcpStream, _: SocketAddr) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if !read_request(&mut reader) {
        return;
    }
    let mut stream = stream;
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000000000\r\n\r\n";
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&[b' '; 4096]);
}

#[test]
fn an_endless_body_is_cut_off_with_a_clear_error() {
    for handler in [endless_body as fn(TcpStream, SocketAddr), declared_huge] {
        let server = serve(8, handler);
        let home = tempfile::tempdir().unwrap();
        let url = format!("http://{}", server.addr);
        let (out, err) = run(transmend(home.path(), &url, &[]), home.path());
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("larger than the limit"), "{err}");
        assert!(no_outputs(home.path()));
        assert_eq!(
            server.requests.load(Ordering::SeqCst),
            1,
            "not retried: {err}"
        );
    }
}

/// Redirects every request to another path of the same server, forever.
fn redirect_loop(stream: TcpStream, _: SocketAddr) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    for _ in 0..32 {
        if !read_request(&mut reader) {
            return;
        }
        let reply =
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: /translate\r\ncontent-length: 0\r\n\r\n";
        if stream.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

/// Redirects to plain http:// on a host that is not loopback (never contacted: refused first).
fn redirect_off_loopback(stream: TcpStream, _: SocketAddr) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if !read_request(&mut reader) {
        return;
    }
    let mut stream = stream;
    let reply = "HTTP/1.1 308 Permanent Redirect\r\nlocation: http://translate.example.invalid/translate\r\ncontent-length: 0\r\n\r\n";
    let _ = stream.write_all(reply.as_bytes());
}

#[test]
fn redirects_are_limited_and_never_leave_loopback_over_plain_http() {
    let server = serve(16, redirect_loop);
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://{}", server.addr);
    let (out, err) = run(transmend(home.path(), &url, &[]), home.path());
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("redirect"), "{err}");
    assert!(err.contains("more than 3 redirects"), "{err}");

    let server = serve(4, redirect_off_loopback);
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://{}", server.addr);
    let (out, err) = run(transmend(home.path(), &url, &[]), home.path());
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("refusing a redirect to http://translate.example.invalid"),
        "{err}"
    );
}

/// Reads the request and never answers (gives up after a minute, or when the client leaves).
fn silent(stream: TcpStream, _: SocketAddr) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if !read_request(&mut reader) {
        return;
    }
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut buf = [0u8; 64];
    let _ = (&stream).read(&mut buf);
}

#[test]
fn a_server_that_never_answers_hits_the_total_timeout() {
    let server = serve(4, silent);
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://{}", server.addr);
    let (out, err) = run(
        transmend(home.path(), &url, &["--timeout", "1"]),
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("timed out"), "{err}");
    assert!(no_outputs(home.path()));
}

#[test]
fn a_port_that_never_accepts_hits_the_connect_timeout() {
    // A listener whose accept queue is full: the kernel drops further SYNs, so a connect
    // neither succeeds nor fails until the client gives up. The queue is filled here by
    // connecting until one connect no longer completes.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    for _ in 0..4096 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(s) => held.push(s),
            Err(_) => break,
        }
    }
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://{addr}");
    let (out, err) = run(
        transmend(home.path(), &url, &["--timeout", "1"]),
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("timed out") || err.contains("cannot connect"),
        "{err}"
    );
    drop(held);
    drop(listener);
}

#[test]
fn https_to_a_plain_server_fails_cleanly_and_tls_is_rustls_only() {
    let server = serve(4, silent);
    let home = tempfile::tempdir().unwrap();
    let url = format!("https://{}", server.addr);
    let (out, err) = run(
        transmend(home.path(), &url, &["--timeout", "5"]),
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{err}");
    // The engine is asked before any document is read: the TLS failure stops the run there.
    assert!(
        err.contains("cannot reach the LibreTranslate server at https://") && err.contains("tls"),
        "{err}"
    );
    assert!(!home.path().join("out").exists(), "nothing written");

    // No way to turn certificate checks off, and no TLS stack but rustls in the build.
    let help = common::transmend()
        .args(["translate", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout).to_lowercase();
    for word in [
        "insecure",
        "no-verify",
        "danger",
        "accept-invalid",
        "skip-tls",
    ] {
        assert!(!help.contains(word), "translate --help offers {word}");
    }
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    for banned in ["openssl", "native-tls"] {
        assert!(
            !lock.contains(&format!("name = \"{banned}")),
            "{banned} is in Cargo.lock"
        );
    }
    assert!(lock.contains("name = \"rustls\""));
}

#[test]
fn plain_http_off_loopback_is_refused_before_any_connection() {
    let home = tempfile::tempdir().unwrap();
    for endpoint in [
        "http://translate.example.invalid",
        "http://10.0.0.1:5000",
        "http://[2001:db8::1]/",
    ] {
        let (out, err) = run(transmend(home.path(), endpoint, &[]), home.path());
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("refusing plain http://"), "{err}");
        assert!(err.contains("--allow-http"), "{err}");
    }
}
