package io.echoack.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.cli.testing.SettingsAssertions;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The keys of identity replies are an interface scripts read: the README's table lists exactly the server's
 * keys, in reply order ({@code InfoResponderTest} checks that a reply with every key has them in that order).
 */
class InfoKeysDocumentedTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_.A-Z]+)` \\|", Pattern.MULTILINE);

    @Test
    void theReadmeTableListsEveryKeyInOrder() throws Exception {
        String readme = Files.readString(SettingsAssertions.readme());
        int start = readme.indexOf("**Keys.**", readme.indexOf("## Identity replies"));
        int end = readme.indexOf("**Formats.**", start);
        assertTrue(start >= 0 && end > start, "the README's identity reply keys moved");
        String table = readme.substring(start, end);
        Matcher row = ROW.matcher(table);
        List<String> keys = new ArrayList<>();
        while (row.find()) {
            keys.add(row.group(1).replace("proxy_tlv.NAME", InfoKeys.PROXY_TLV_PREFIX));
        }
        assertEquals(InfoKeys.BUILT_IN, keys);
        assertTrue(table.indexOf("*the `--identity` keys*") > table.indexOf("| `host` |")
                && table.indexOf("*the `--identity` keys*") < table.indexOf("| `listener` |"),
                "the --identity keys come right after host");
    }
}
