package io.ctifeeds.opencti;

/**
 * The operations pycti 6.9 sends, with its exact texts (PROTOCOL.md). Tests validate each against the
 * platform's schema, so a typo here fails the build instead of a connector in production.
 */
public final class GraphQlOperations {

    public static final String ABOUT = "query healthCheck { about { version } }";

    private static final String REGISTER_HEAD = """
            mutation RegisterConnector($input: RegisterConnectorInput) {
                registerConnector(input: $input) {
                    id
                    connector_state
                    config {
                        connection {
                            host
                            vhost
                            use_ssl
                            port
                            user
                            pass
                        }
            """;
    private static final String REGISTER_S3 = """
                        s3 {
                            endpoint
                            port
                            use_ssl
                            bucket_name
                            bucket_region
                            access_key
                            secret_key
                        }
            """;
    private static final String REGISTER_TAIL = """
                        listen
                        listen_routing
                        listen_exchange
                        push
                        push_routing
                        push_exchange
                    }
                    connector_user_id
                }
            }
            """;

    /** Platforms before 6.9.10 reject the s3 selection, so it is asked for only when the platform has it. */
    public static String register(boolean withS3) {
        return REGISTER_HEAD + (withS3 ? REGISTER_S3 : "") + REGISTER_TAIL;
    }

    public static final String PING = """
            mutation PingConnector($id: ID!, $state: String, $connectorInfo: ConnectorInfoInput ) {
                pingConnector(id: $id, state: $state, connectorInfo: $connectorInfo) {
                    id
                    connector_state
                    connector_info {
                        run_and_terminate
                        buffering
                        queue_threshold
                        queue_messages_size
                        next_run_datetime
                        last_run_datetime
                    }
                }
            }
            """;

    public static final String WORK_ADD = """
            mutation workAdd($connectorId: String!, $friendlyName: String) {
                workAdd(connectorId: $connectorId, friendlyName: $friendlyName) {
                  id
                }
            }
            """;

    /**
     * pycti 7's workAdd: a multipart work completes only after toProcessed and its last expectation, not whenever the
     * workers catch up in the middle of a run. Platforms before 7.260422.0 refuse the argument.
     */
    public static final String WORK_ADD_MULTIPART = """
            mutation workAdd($connectorId: String!, $friendlyName: String, $isMultiPartWork: Boolean) {
                workAdd(connectorId: $connectorId, friendlyName: $friendlyName, isMultiPartWork: $isMultiPartWork) {
                  id
                }
            }
            """;

    /** How many expectations the platform counts on a work (the workers add them as they split bundles). */
    public static final String WORK_EXPECTATIONS = """
            query WorkExpectations($id: ID!) {
                work(id: $id) {
                    tracking {
                        import_expected_number
                    }
                }
            }
            """;

    public static final String ADD_EXPECTATIONS = """
            mutation addExpectations($id: ID!, $expectations: Int) {
                workEdit(id: $id) {
                    addExpectations(expectations: $expectations)
                }
            }
            """;

    public static final String TO_PROCESSED = """
            mutation workToProcessed($id: ID!, $message: String, $inError: Boolean) {
                workEdit(id: $id) {
                    toProcessed (message: $message, inError: $inError)
                }
            }
            """;

    public static final String STIX_BUNDLE_PUSH = """
            mutation StixBundlePush($connectorId: String!, $bundle: String!, $work_id: String) {
                stixBundlePush(connectorId: $connectorId, bundle: $bundle, work_id: $work_id)
            }
            """;

    /** pycti's label.create (read_or_create_unchecked): an existing label is returned as it is. */
    public static final String LABEL_ADD = """
            mutation LabelAdd($input: LabelAddInput!) {
                labelAdd(input: $input) {
                    id
                    standard_id
                    value
                    color
                }
            }
            """;

    /** The TLP markings of the observables with these values (one call per page, not one per IP). */
    public static final String OBSERVABLE_MARKINGS = """
            query ObservableMarkings($filters: FilterGroup, $first: Int) {
                stixCyberObservables(filters: $filters, first: $first) {
                    edges {
                        node {
                            observable_value
                            objectMarking {
                                definition_type
                                definition
                            }
                        }
                    }
                }
            }
            """;

    public static final String GET_CONNECTOR = "query GetConnector($id: String!) { connector(id: $id) { id name "
            + "active auto only_contextual connector_type connector_scope connector_state connector_queue_details "
            + "{ messages_number messages_size } updated_at created_at config { listen listen_exchange push "
            + "push_exchange push_routing } built_in } }";

    private GraphQlOperations() {
    }
}
