package io.gcsflush.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's settings table says what the agent does: every setting, its alias and its default, in order. */
class ReadmeSettingsTest {
    @Test
    void readmeTableMatchesTheSettings() throws IOException {
        Path readme = Path.of("..", "README.md");
        List<String> documented = new ArrayList<>();
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            // The settings table is the first whose rows start with a setting in backquotes; it ends at its last row.
            if (!line.startsWith("| `")) {
                if (!documented.isEmpty() && !line.startsWith("|")) break;
                continue;
            }
            String[] cells = line.split("\\|");
            documented.add(strip(cells[1]) + " " + strip(cells[2]) + " " + strip(cells[3]));
        }
        List<String> actual = new ArrayList<>();
        for (AgentConfig.Setting s : AgentConfig.SETTINGS) {
            actual.add(s.key + " " + (s.alias == null ? "" : s.alias) + " " + s.defaultValue);
        }
        assertEquals(actual, documented.subList(0, Math.min(documented.size(), actual.size())));
    }

    private static String strip(String cell) {
        return cell.trim().replace("`", "");
    }
}
