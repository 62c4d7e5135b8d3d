package io.livestore.example.issuetracker.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One browser tab, driven through its DevTools session: navigate, run JavaScript, fill forms, click,
 * and wait — with a deadline — for the page to reach a state. What the page logs (console messages,
 * uncaught exceptions, browser log entries) is collected and shown in every failure.
 */
public final class Tab implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

    private final DevTools devTools;
    private final String name;
    private final String targetId;
    private final String sessionId;
    private final List<String> log = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    private Tab(DevTools devTools, String name, String targetId, String sessionId) {
        this.devTools = devTools;
        this.name = name;
        this.targetId = targetId;
        this.sessionId = sessionId;
    }

    /** Opens a new tab called {@code name} (for messages) and loads {@code url} in it. */
    public static Tab open(DevTools devTools, String name, String url) {
        String targetId = devTools.send("Target.createTarget", Map.of("url", "about:blank"), COMMAND_TIMEOUT)
                .path("targetId").asText();
        String sessionId = devTools.send("Target.attachToTarget", Map.of("targetId", targetId, "flatten", true),
                COMMAND_TIMEOUT).path("sessionId").asText();
        Tab tab = new Tab(devTools, name, targetId, sessionId);
        devTools.onEvents(sessionId, tab::record);
        tab.command("Runtime.enable", Map.of());
        tab.command("Log.enable", Map.of());
        tab.command("Page.enable", Map.of());
        JsonNode navigation = tab.command("Page.navigate", Map.of("url", url));
        if (navigation.hasNonNull("errorText")) {
            throw new AssertionError(name + ": cannot load " + url + ": " + navigation.get("errorText").asText());
        }
        return tab;
    }

    /**
     * Evaluates {@code expression} in the page (promises are awaited) and returns its value as JSON.
     *
     * @throws AssertionError the expression threw
     */
    public JsonNode evaluate(String expression) {
        return evaluate(expression, COMMAND_TIMEOUT);
    }

    private JsonNode evaluate(String expression, Duration timeout) {
        JsonNode result = devTools.send(sessionId, "Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true, "awaitPromise", true), timeout);
        if (result.has("exceptionDetails")) {
            JsonNode details = result.get("exceptionDetails");
            throw new AssertionError(name + ": " + expression + " threw " + details.path("exception").path("description")
                    .asText(details.path("text").asText()) + report());
        }
        return result.path("result").path("value");
    }

    /**
     * Waits until {@code condition} (a JavaScript expression) is true, at most {@code timeout}. The page
     * checks it whenever its DOM changes (a MutationObserver), so nothing polls; a navigation that
     * replaces the page while waiting starts the wait again in the new one.
     *
     * @param what what the condition means, for the failure message
     * @param describe a JavaScript expression whose value the failure message shows (what there is instead)
     */
    public void await(String condition, String what, String describe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String script = """
                new Promise((resolve) => {
                  const test = () => { try { return Boolean(%s); } catch (e) { return false; } };
                  if (test()) { resolve(true); return; }
                  const observer = new MutationObserver(() => {
                    if (test()) { observer.disconnect(); clearTimeout(timer); resolve(true); }
                  });
                  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
                  const timer = setTimeout(() => { observer.disconnect(); resolve(test()); }, %d);
                })""";
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                if (evaluate(script.formatted(condition, left), Duration.ofMillis(left).plus(COMMAND_TIMEOUT)).asBoolean()) {
                    return;
                }
            } catch (DevTools.DevToolsException contextReplaced) {
                // The page navigated while we waited ("Execution context was destroyed"). Wait in the new one.
                if (System.nanoTime() >= deadline) {
                    throw new AssertionError(name + ": " + what + " — waiting failed: " + contextReplaced.getMessage() + report(),
                            contextReplaced);
                }
                continue;
            }
            if (System.nanoTime() >= deadline) {
                String actual;
                try {
                    actual = evaluate(describe).toString();
                } catch (AssertionError | RuntimeException e) {
                    actual = "(cannot tell: " + e.getMessage() + ")";
                }
                throw new AssertionError(name + ": not within " + timeout + ": " + what + "; instead: " + actual + report());
            }
        }
    }

    /** Types {@code value} into the field {@code selector} as a user would leave it (an input event follows). */
    public void fill(String selector, String value) {
        evaluate("""
                (() => {
                  const field = document.querySelector(%s);
                  if (!field) throw new Error('no field ' + %1$s);
                  field.focus();
                  field.value = %s;
                  field.dispatchEvent(new Event('input', { bubbles: true }));
                })()""".formatted(js(selector), js(value)));
    }

    /** Clicks the element {@code selector}. */
    public void click(String selector) {
        evaluate("""
                (() => {
                  const element = document.querySelector(%s);
                  if (!element) throw new Error('nothing to click at ' + %1$s);
                  element.click();
                })()""".formatted(js(selector)));
    }

    /** Uncaught exceptions and errors the page or browser logged so far. */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    /** Closes the tab. */
    @Override
    public void close() {
        devTools.removeListener(sessionId);
        devTools.send("Target.closeTarget", Map.of("targetId", targetId), COMMAND_TIMEOUT);
    }

    private JsonNode command(String method, Map<String, ?> params) {
        return devTools.send(sessionId, method, params, COMMAND_TIMEOUT);
    }

    /** A Java string as a JavaScript string literal. */
    static String js(String value) {
        return JSON.valueToTree(value).toString();
    }

    private synchronized void record(String method, JsonNode params) {
        switch (method) {
            case "Runtime.consoleAPICalled" -> {
                List<String> args = new ArrayList<>();
                params.path("args").forEach(a -> args.add(a.has("value") ? a.get("value").asText() : a.path("description").asText()));
                String line = "console." + params.path("type").asText() + ": " + String.join(" ", args);
                log.add(line);
                if (params.path("type").asText().equals("error")) {
                    errors.add(line);
                }
            }
            case "Runtime.exceptionThrown" -> {
                JsonNode details = params.path("exceptionDetails");
                String line = "uncaught: " + details.path("exception").path("description").asText(details.path("text").asText());
                log.add(line);
                errors.add(line);
            }
            case "Log.entryAdded" -> {
                JsonNode entry = params.path("entry");
                String line = "log." + entry.path("level").asText() + ": " + entry.path("text").asText() + " " + entry.path("url").asText("");
                log.add(line);
                if (entry.path("level").asText().equals("error")) {
                    errors.add(line);
                }
            }
            default -> { }
        }
    }

    private synchronized String report() {
        return log.isEmpty() ? "" : "\n" + name + " logged:\n  " + String.join("\n  ", log);
    }
}
