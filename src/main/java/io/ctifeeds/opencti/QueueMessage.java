package io.ctifeeds.opencti;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The AMQP body pycti's {@code _send_bundle} publishes for one split bundle (PROTOCOL §3.2):
 * {@code json.dumps} of, in this key order, {@code bundle_type "QUEUE_BUNDLE"}, {@code applicant_id},
 * {@code action_sequence}, {@code entities_types []}, {@code content} (standard base64, padded, of the
 * split bundle's UTF-8 bytes), {@code update} (false unless CONNECTOR_UPDATE_EXISTING_DATA), {@code draft_id null},
 * for OpenCTI 7 {@code no_split false} (pycti 7 always sends it; a 6.x worker ignores it), and {@code work_id} only
 * when there is one. External-import connectors never set entities types or a draft.
 */
public final class QueueMessage {

    private QueueMessage() {
    }

    /** @see #body(String, int, byte[], String) */
    public static byte[] body(String applicantId, int actionSequence, SplitBundle bundle, String workId) {
        return body(applicantId, actionSequence, bundle.utf8(), workId, false, false);
    }

    /** @see #body(String, int, byte[], String, boolean, boolean) */
    public static byte[] body(String applicantId, int actionSequence, byte[] splitBundleUtf8, String workId) {
        return body(applicantId, actionSequence, splitBundleUtf8, workId, false, false);
    }

    /**
     * @param applicantId     {@code connector_user_id} from registerConnector (null is written as null)
     * @param actionSequence  1-based position of the bundle in sending order
     * @param splitBundleUtf8 the split bundle's JSON bytes ({@link SplitBundle#utf8()})
     * @param workId          the work id, or null to leave the key out
     * @param update          the worker's update flag (CONNECTOR_UPDATE_EXISTING_DATA)
     * @param noSplitField    write {@code "no_split": false} after {@code draft_id}, as pycti 7 does
     * @return the message body, UTF-8 (ASCII) bytes
     */
    public static byte[] body(String applicantId, int actionSequence, byte[] splitBundleUtf8, String workId,
                              boolean update, boolean noSplitField) {
        StringBuilder head = new StringBuilder(128);
        head.append("{\"bundle_type\": \"QUEUE_BUNDLE\", \"applicant_id\": ");
        stringOrNull(applicantId, head);
        head.append(", \"action_sequence\": ").append(actionSequence)
                .append(", \"entities_types\": [], \"content\": \"");
        StringBuilder tail = new StringBuilder(96);
        tail.append("\", \"update\": ").append(update ? "true" : "false").append(", \"draft_id\": null");
        if (noSplitField) {
            tail.append(", \"no_split\": false");
        }
        if (workId != null) {
            tail.append(", \"work_id\": ");
            PythonJson.writeString(workId, tail);
        }
        tail.append('}');

        // base64 output is ASCII and needs no JSON escaping, so it goes in as bytes
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] content = Base64.getEncoder().encode(splitBundleUtf8);
        byte[] tailBytes = tail.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[headBytes.length + content.length + tailBytes.length];
        System.arraycopy(headBytes, 0, body, 0, headBytes.length);
        System.arraycopy(content, 0, body, headBytes.length, content.length);
        System.arraycopy(tailBytes, 0, body, headBytes.length + content.length, tailBytes.length);
        return body;
    }

    private static void stringOrNull(String s, StringBuilder out) {
        if (s == null) {
            out.append("null");
        } else {
            PythonJson.writeString(s, out);
        }
    }
}
