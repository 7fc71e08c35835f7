package io.ctifeeds.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every link of README.md and docs/*.md leads somewhere, and every repository path they name in code spans
 * ({@code routes/...}, {@code src/...}, {@code docs/...}, {@code bench/...}) exists. The Markdown is read by a
 * CommonMark parser, so links and code spans are what GitHub renders, and anchors are GitHub's heading slugs.
 */
class DocsLinksTest {

    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();
    /** An absolute URL (https:, mailto:, ...) is not the repository's to check. */
    private static final Pattern EXTERNAL = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:|//)");
    private static final Pattern REPOSITORY_PATH = Pattern.compile("^(routes|src|docs|bench)/");
    /** {@code <feed>} and {@code {feed}} stand for any name. */
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]*>|\\{[^}]*}");

    /** What one Markdown file names and offers; its outline is its headings and code blocks, in order. */
    private record Document(Path file, List<String> links, List<String> codeSpans, Set<String> anchors,
                            List<Node> outline) {

        static Document read(Path file) throws IOException {
            Node root = PARSER.parse(Files.readString(file));
            List<String> links = new ArrayList<>();
            List<String> codeSpans = new ArrayList<>();
            Set<String> anchors = new HashSet<>();
            List<Node> outline = new ArrayList<>();
            IdGenerator slugs = IdGenerator.builder().build();
            root.accept(new AbstractVisitor() {
                @Override
                public void visit(Link link) {
                    links.add(link.getDestination());
                    visitChildren(link);
                }

                @Override
                public void visit(Image image) {
                    links.add(image.getDestination());
                }

                @Override
                public void visit(Code code) {
                    codeSpans.add(code.getLiteral());
                }

                @Override
                public void visit(Heading heading) {
                    anchors.add(slugs.generateId(text(heading)));
                    outline.add(heading);
                }

                @Override
                public void visit(FencedCodeBlock block) {
                    outline.add(block);
                }
            });
            return new Document(file, links, codeSpans, anchors, outline);
        }
    }

    /** A heading's text as GitHub slugs it: its text and code spans, without the markup. */
    private static String text(Node node) {
        StringBuilder text = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                text.append(t.getLiteral());
            }

            @Override
            public void visit(Code c) {
                text.append(c.getLiteral());
            }
        });
        return text.toString();
    }

    private static List<Path> documents(Path root) throws IOException {
        List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    /** @return one line per link that leads nowhere: a missing file, a missing heading, a way out of the repository */
    static List<String> linkProblems(Path root) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : documents(root)) {
            Document document = Document.read(file);
            for (String link : document.links()) {
                if (EXTERNAL.matcher(link).find()) {
                    continue;
                }
                int hash = link.indexOf('#');
                String path = URLDecoder.decode(hash < 0 ? link : link.substring(0, hash), StandardCharsets.UTF_8);
                String anchor = hash < 0 ? "" : link.substring(hash + 1);
                Path target = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                String where = root.relativize(file) + ": link " + link + ": ";
                if (!target.startsWith(root)) {
                    problems.add(where + "leads out of the repository");
                } else if (!Files.exists(target)) {
                    problems.add(where + "no such file " + root.relativize(target));
                } else if (!anchor.isEmpty() && target.toString().endsWith(".md")
                        && !Document.read(target).anchors().contains(anchor)) {
                    problems.add(where + "no heading #" + anchor + " in " + root.relativize(target));
                }
            }
        }
        return problems;
    }

    /** @return one line per repository path named in a code span that matches no file */
    static List<String> pathProblems(Path root) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : documents(root)) {
            for (String span : Document.read(file).codeSpans()) {
                String path = span.trim().split("\\s+")[0];
                if (REPOSITORY_PATH.matcher(path).find() && !exists(root, path)) {
                    problems.add(root.relativize(file) + ": path `" + span + "`: no such file");
                }
            }
        }
        return problems;
    }

    /** A plain path must exist; a glob (or a path with placeholders) must match at least one file. */
    private static boolean exists(Path root, String path) throws IOException {
        String glob = PLACEHOLDER.matcher(path).replaceAll("*");
        if (!glob.contains("*") && !glob.contains("?")) {
            return Files.exists(root.resolve(path));
        }
        int wildcard = glob.replace('?', '*').indexOf('*');
        Path base = root.resolve(glob.substring(0, glob.lastIndexOf('/', wildcard) + 1));
        if (!Files.isDirectory(base)) {
            return false;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.replaceAll("/$", ""));
        try (Stream<Path> files = Files.walk(base)) {
            return files.anyMatch(p -> matcher.matches(root.relativize(p)));
        }
    }

    @Test
    void everyLinkOfTheReadmeAndTheDocsLeadsToAFileOrHeadingThatExists() throws IOException {
        assertEquals(List.of(), linkProblems(Path.of("").toAbsolutePath()));
    }

    @Test
    void everyRepositoryPathTheReadmeAndTheDocsNameExists() throws IOException {
        assertEquals(List.of(), pathProblems(Path.of("").toAbsolutePath()));
    }

    @Test
    void brokenLinksAnchorsAndPathsAreEachReported(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.createDirectories(root.resolve("routes"));
        Files.writeString(root.resolve("routes/feed.camel.yaml"), "- route: {}\n");
        Files.writeString(root.resolve("docs/guide.md"), """
                # Guide

                ## Running it as a product (HTTP, health, metrics, live reload)

                ## Set-up

                ## Set-up

                Back to the [start](../README.md#quick-start) and [here](#guide).
                """);
        Files.writeString(root.resolve("README.md"), """
                # Tool

                ## Quick start

                Good: [guide](docs/guide.md), [a heading](docs/guide.md#running-it-as-a-product-http-health-metrics-live-reload),
                [the second of two](docs/guide.md#set-up-1), [upstream](https://example.org/x.md), `routes/feed.camel.yaml`,
                `routes/*.yaml`, `routes/<feed>.camel.yaml`, `routes/`, and in a block:

                ```
                [not a link](docs/nothing.md) `routes/none.yaml`
                ```

                Broken: [gone](docs/security.md), [no heading](docs/guide.md#set-up-2), [outside](../elsewhere/x.md),
                `routes/missing.camel.yaml`, `bench/*.sh`, `src/<feed>/x.java`.
                """);

        assertEquals(List.of(
                "README.md: link docs/security.md: no such file docs/security.md",
                "README.md: link docs/guide.md#set-up-2: no heading #set-up-2 in docs/guide.md",
                "README.md: link ../elsewhere/x.md: leads out of the repository"), linkProblems(root));
        assertEquals(List.of(
                "README.md: path `routes/missing.camel.yaml`: no such file",
                "README.md: path `bench/*.sh`: no such file",
                "README.md: path `src/<feed>/x.java`: no such file"), pathProblems(root));
    }

    /** CI's .ci/run runs the README's test command: the quick start must show exactly the command CI runs. */
    @Test
    void theQuickStartShowsTheTestCommandCiRuns() throws IOException {
        List<String> ciCommands = Files.readAllLines(Path.of(".ci/run")).stream()
                .map(String::trim).filter(l -> l.startsWith("mvn ")).toList();
        assertEquals(List.of("mvn -B test"), ciCommands);

        List<Node> outline = Document.read(Path.of("README.md")).outline();
        int quickStart = -1;
        for (int i = 0; i < outline.size() && quickStart < 0; i++) {
            if (outline.get(i) instanceof Heading h && text(h).equals("Quick start")) {
                quickStart = i;
            }
        }
        assertTrue(quickStart >= 0 && quickStart + 1 < outline.size()
                && outline.get(quickStart + 1) instanceof FencedCodeBlock, "no code block right under ## Quick start");
        List<String> commands = ((FencedCodeBlock) outline.get(quickStart + 1)).getLiteral().lines()
                .map(l -> l.replaceAll("#.*", "").trim()).toList();
        assertTrue(commands.containsAll(List.of("mvn compile camel:run", ciCommands.get(0))),
                "the quick start's commands " + commands + " must include mvn compile camel:run and " + ciCommands);
    }
}
