//! The one diesel schema both backends share, written by hand to match `migrations/`.

diesel::table! {
    organisations (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    teams (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        team_id -> Nullable<BigInt>,
        organisation_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        address -> Text,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        username -> Text,
        address -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    locations (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        kind -> Text,
        active -> Bool,
    }
}

diesel::table! {
    clients (id) {
        id -> BigInt,
        team_id -> BigInt,
        code -> Text,
        alias -> Text,
        registration_status -> Text,
        registration_number -> Nullable<Text>,
        registration_date -> Nullable<Date>,
        registration_expires_on -> Nullable<Date>,
        region -> Text,
        caseload_status -> Text,
        intake_on -> Nullable<Date>,
        exit_on -> Nullable<Date>,
        followup_threshold_days -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    client_casemanagers (id) {
        id -> BigInt,
        client_id -> BigInt,
        user_id -> BigInt,
        from_on -> Date,
        until_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    shifts (id) {
        id -> BigInt,
        team_id -> BigInt,
        location_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    shift_staff (id) {
        id -> BigInt,
        shift_id -> BigInt,
        user_id -> BigInt,
        checked_in_at -> Nullable<Timestamp>,
        checked_out_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        team_id -> BigInt,
        client_id -> Nullable<BigInt>,
        visitor_count -> Integer,
        location_id -> BigInt,
        shift_id -> Nullable<BigInt>,
        seen_at -> Timestamp,
        kind -> Text,
        services -> Text,
        note -> Nullable<Text>,
        recorded_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (user_id, idem_key) {
        user_id -> BigInt,
        idem_key -> Text,
        request_hash -> Text,
        contact_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        user_id -> Nullable<BigInt>,
        role -> Nullable<Text>,
        session_id -> Nullable<BigInt>,
        address -> Nullable<Text>,
        event -> Text,
        action -> Text,
        client_id -> Nullable<BigInt>,
        outcome -> Text,
        source -> Text,
    }
}

diesel::joinable!(users -> teams (team_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(clients -> teams (team_id));
diesel::joinable!(client_casemanagers -> clients (client_id));
diesel::joinable!(client_casemanagers -> users (user_id));
diesel::joinable!(shifts -> locations (location_id));
diesel::joinable!(shift_staff -> shifts (shift_id));
diesel::joinable!(shift_staff -> users (user_id));
diesel::joinable!(contacts -> clients (client_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    teams,
    users,
    sessions,
    login_failures,
    locations,
    clients,
    client_casemanagers,
    shifts,
    shift_staff,
    contacts,
    idempotency_keys,
    audit_log,
);
