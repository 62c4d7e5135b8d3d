package io.livestore.example.issuetracker.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.example.issuetracker.ApiClient;
import io.livestore.example.issuetracker.RunningTracker;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser: two tabs show the same workspace and issue; a change made through the
 * page's forms in one tab appears in the other without a reload, carried by the live query streams.
 * Headless Chromium, driven over the DevTools protocol; everything on 127.0.0.1.
 *
 * <p>By default the example runs embedded for the test; {@code -Dissuetracker.url=http://127.0.0.1:8080/issue-tracker/}
 * points the test at one already running (on WildFly, say) instead.
 */
class LiveUpdatesBrowserIT {

    /** Generous: two cores, and other builds may be running. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The address of an already running example to test instead of an embedded one. */
    static final String URL_PROPERTY = "issuetracker.url";

    static RunningTracker tracker;
    static URI base;
    static Chromium chromium;
    static DevTools devTools;

    ApiClient api;
    String workspaceId;
    String issueId;
    Tab a;
    Tab b;
    /** Text of the one error tab A is expected to log, if any. */
    String expectedErrorInA;

    @BeforeAll
    static void start() {
        String url = System.getProperty(URL_PROPERTY, "");
        if (url.isBlank()) {
            tracker = RunningTracker.start("browser");
            base = tracker.server().uri();
        } else {
            base = URI.create(url.endsWith("/") ? url : url + "/");
            assertEquals("127.0.0.1", base.getHost(), "only 127.0.0.1 is tested");
        }
        try {
            chromium = Chromium.launch(RunningTracker.freshDirectory("chromium"));
            devTools = DevTools.connect(chromium.devToolsUri());
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (devTools != null) {
                devTools.close();
            }
        } finally {
            try {
                if (chromium != null) {
                    chromium.close();
                }
            } finally {
                if (tracker != null) {
                    tracker.close();
                }
            }
        }
    }

    /** A fresh workspace with one issue, open in two tabs, both showing it live. */
    @BeforeEach
    void openTwoTabs() {
        api = new ApiClient(base);
        workspaceId = api.createWorkspace("Team");
        issueId = api.createIssue(workspaceId, "Login fails");
        String page = base + "#/w/" + workspaceId + "/i/" + issueId;
        a = Tab.open(devTools, "tab A", page);
        b = Tab.open(devTools, "tab B", page);
        for (Tab tab : List.of(a, b)) {
            // Both are written only by the live streams: once they show, both streams are delivering.
            tab.await("""
                    document.getElementById('workspace-name').textContent === 'Team'
                      && document.getElementById('issue-title').textContent === 'Login fails'
                      && document.getElementById('connection').textContent === 'live'""",
                    "the page shows the workspace and the issue, live", "document.body.innerText", TIMEOUT);
        }
        // A reload would lose this: it is how the test knows tab B was updated in place.
        b.evaluate("window.loadedOnce = 'yes'");
    }

    @AfterEach
    void closeTabs() {
        try {
            assertEquals("yes", b.evaluate("window.loadedOnce").asText(), "tab B was never reloaded");
            List<String> errorsInA = a.errors().stream()
                    .filter(e -> expectedErrorInA == null || !e.contains(expectedErrorInA)).toList();
            assertEquals(List.of(), errorsInA, "tab A logged no errors");
            assertEquals(List.of(), b.errors(), "tab B logged no errors");
            String origin = base.resolve("/").toString();
            assertTrue(b.evaluate("performance.getEntriesByType('resource').every(e => e.name.startsWith("
                    + Tab.js(origin) + "))").asBoolean(), "the page loaded nothing from anywhere but the application");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aCommentMadeInOneTabAppearsInTheOther() {
        a.fill("#comment-form [name=author]", "Ada");
        a.fill("#comment-form [name=text]", "Reproduced on Safari");
        a.click("#comment-form button");

        b.await("""
                [...document.querySelectorAll('#comments li')].some(li =>
                  li.querySelector('strong').textContent === 'Ada' && li.querySelector('p').textContent === 'Reproduced on Safari')""",
                "tab B shows the comment made in tab A", "document.getElementById('comments').innerText", TIMEOUT);
        b.await("document.querySelector('#issues li[data-issue-id=" + Tab.js(issueId) + "] .meta').textContent.includes('1 comment')",
                "tab B's issue list counts the comment", "document.getElementById('issues').innerText", TIMEOUT);
    }

    @Test
    void renamesInOneTabAppearInTheOther() {
        a.fill("#rename-issue-form [name=title]", "Login fails on Safari");
        a.click("#rename-issue-form button");
        b.await("""
                document.getElementById('issue-title').textContent === 'Login fails on Safari'
                  && document.querySelector('#issues li[data-issue-id=%s] > a').textContent === 'Login fails on Safari'"""
                        .formatted(Tab.js(issueId)),
                "tab B shows the issue's new title, in the issue and in the list", "document.body.innerText", TIMEOUT);

        a.fill("#rename-workspace-form [name=name]", "Web team");
        a.click("#rename-workspace-form button");
        b.await("document.getElementById('workspace-name').textContent === 'Web team' && document.title.startsWith('Web team')",
                "tab B shows the workspace's new name", "document.getElementById('workspace-name').textContent", TIMEOUT);
    }

    @Test
    void issuesCreatedInOneTabAppearInTheOther() {
        a.fill("#issue-form [name=title]", "Search is slow");
        a.fill("#issue-form [name=description]", "Over 2 s for any query.");
        a.click("#issue-form button");
        b.await("[...document.querySelectorAll('#issues > li > a')].some(x => x.textContent === 'Search is slow')",
                "tab B lists the new top-level issue", "document.getElementById('issues').innerText", TIMEOUT);

        a.fill("#child-form [name=title]", "Reproduce on iOS");
        a.click("#child-form button");
        b.await("[...document.querySelectorAll('#children li a')].some(x => x.textContent === 'Reproduce on iOS')",
                "tab B shows the new child in the selected issue", "document.getElementById('children').innerText", TIMEOUT);
        b.await("""
                [...document.querySelectorAll('#issues li[data-issue-id=%s] > ul > li > a')]
                  .some(x => x.textContent === 'Reproduce on iOS')""".formatted(Tab.js(issueId)),
                "tab B's issue list shows the child under its parent", "document.getElementById('issues').innerText", TIMEOUT);
    }

    @Test
    void aProblemIsShownOnThePage() {
        a.fill("#rename-issue-form [name=title]", "x".repeat(150) + " ".repeat(10) + "y".repeat(60));
        a.evaluate("document.querySelector('#rename-issue-form [name=title]').removeAttribute('maxlength')");
        a.click("#rename-issue-form button");
        a.await("document.getElementById('status').textContent === 'title must be at most 200 characters, was 220'"
                        + " && !document.getElementById('status').hidden",
                "tab A shows the server's problem detail", "document.getElementById('status').textContent", TIMEOUT);
        assertEquals("Login fails", b.evaluate("document.getElementById('issue-title').textContent").asText(),
                "nothing changed");
        expectedErrorInA = "422"; // the browser logs the refused request
    }
}
