package io.echoack.common.text;

import static io.echoack.common.text.FieldMessage.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A message names settings by field for library callers, and by whatever a CLI calls them when it renders. */
class FieldMessageTest {

    private static final Map<String, String> FLAGS = Map.of("insecure", "--insecure", "trustedCertificates",
            "--tls-ca");

    @Test
    void aLibraryCallerReadsFieldNamesACliReadsItsOwn() {
        FieldMessage message = FieldMessage.of(field("insecure"), " trusts any certificate, so ",
                field("trustedCertificates"), " would be ignored");
        assertEquals("insecure trusts any certificate, so trustedCertificates would be ignored", message.toString());
        assertEquals("--insecure trusts any certificate, so --tls-ca would be ignored", message.render(FLAGS::get));
        assertEquals(Set.of("insecure", "trustedCertificates"), message.fields());
        assertEquals(List.of("insecure", "trustedCertificates"), List.copyOf(message.fields()), "in order");
    }

    @Test
    void quotedValuesStayAsTheyAreWhateverTheyHold() {
        FieldMessage message = FieldMessage.of(field("serverName"), " '", "{insecure} insecure",
                "' is not a host name");
        assertEquals("--tls-server-name '{insecure} insecure' is not a host name",
                message.render(f -> f.equals("serverName") ? "--tls-server-name" : FLAGS.get(f)));
    }

    @Test
    void aNestedMessageKeepsItsFields() {
        FieldMessage inner = FieldMessage.of("give its CA with ", field("trustedCertificates"));
        FieldMessage outer = FieldMessage.of("TLS handshake failed: ", inner, 42);
        assertEquals("TLS handshake failed: give its CA with --tls-ca42", outer.render(FLAGS::get));
        assertEquals(Set.of("trustedCertificates"), outer.fields());
    }

    @Test
    void anInvalidFieldIsAnIllegalArgumentWithTheLibrarysWords() {
        FieldMessage message = FieldMessage.of(field("insecure"), " is wrong");
        IllegalArgumentException e = new InvalidFieldException(message);
        assertEquals("insecure is wrong", e.getMessage());
        assertSame(message, ((NamesFields) e).fieldMessage().orElseThrow());
    }
}
