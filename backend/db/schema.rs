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
        peers_see_scores -> Bool,
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
        quiet_hours_start -> Text,
        quiet_hours_end -> Text,
        must_change_password -> Bool,
        password_expires_at -> Nullable<Timestamp>,
        contracted_hours_per_week -> Nullable<Integer>,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    partners (id) {
        id -> BigInt,
        name -> Text,
        active -> Bool,
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
        device -> Text,
        second_factor_at -> Nullable<Timestamp>,
        device_id -> Nullable<Text>,
        locked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    devices (id) {
        id -> Text,
        user_id -> BigInt,
        store_key -> Nullable<Text>,
        pin_hash -> Nullable<Text>,
        pin_failures -> Integer,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    totp_secrets (user_id) {
        user_id -> BigInt,
        secret -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        last_used_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    passkeys (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        credential_id -> Text,
        credential -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webauthn_ceremonies (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        state -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
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
        last_contact_at -> Nullable<Timestamp>,
        erased_at -> Nullable<Timestamp>,
        addiction -> Text,
        sheltered_housing -> Bool,
        known_at_huiskamer -> Bool,
        exit_reason -> Nullable<Text>,
        exit_note -> Nullable<Text>,
        absence_due_at -> Nullable<Timestamp>,
        review_due_on -> Nullable<Date>,
        registration_due_on -> Nullable<Date>,
        top15 -> Bool,
    }
}

diesel::table! {
    absence_rules (id) {
        id -> Integer,
        rules -> Text,
        applied_at -> Timestamp,
    }
}

diesel::table! {
    registration_events (id) {
        id -> BigInt,
        client_id -> BigInt,
        kind -> Text,
        occurred_on -> Date,
        number -> Nullable<Text>,
        expires_on -> Nullable<Date>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    client_status_changes (id) {
        id -> BigInt,
        client_id -> BigInt,
        change -> Text,
        changed_on -> Date,
        reason -> Nullable<Text>,
        note -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
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
        min_staff -> Integer,
        template_id -> Nullable<BigInt>,
        template_date -> Nullable<Date>,
        cancelled_at -> Nullable<Timestamp>,
        handover_note -> Nullable<Text>,
        handover_by -> Nullable<BigInt>,
        handover_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rota_templates (id) {
        id -> BigInt,
        team_id -> BigInt,
        location_id -> BigInt,
        weekdays -> Text,
        starts_local -> Text,
        ends_local -> Text,
        min_staff -> Integer,
        active -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendar_feeds (user_id) {
        user_id -> BigInt,
        token_hash -> Text,
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
        location_id -> Nullable<BigInt>,
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
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
        detail -> Nullable<Text>,
        lane -> Integer,
    }
}

diesel::table! {
    audit_chain (id) {
        id -> Integer,
        last_hash -> Text,
        entries -> BigInt,
        pruned_through_id -> Nullable<BigInt>,
        pruned_through_hash -> Nullable<Text>,
    }
}

diesel::table! {
    followups (id) {
        id -> BigInt,
        team_id -> BigInt,
        client_id -> BigInt,
        kind -> Text,
        dedupe_key -> Nullable<Text>,
        absent_since -> Nullable<Timestamp>,
        due_at -> Timestamp,
        note -> Nullable<Text>,
        status -> Text,
        escalation_level -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        notified_at -> Nullable<Timestamp>,
        acknowledged_by -> Nullable<BigInt>,
        acknowledged_at -> Nullable<Timestamp>,
        snoozed_until -> Nullable<Timestamp>,
        snooze_reason -> Nullable<Text>,
        closed_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        owner_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    followup_events (id) {
        id -> BigInt,
        followup_id -> BigInt,
        occurred_at -> Timestamp,
        event -> Text,
        user_id -> Nullable<BigInt>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    push_subscriptions (id) {
        id -> BigInt,
        user_id -> BigInt,
        endpoint -> Text,
        p256dh -> Text,
        auth -> Text,
        created_at -> Timestamp,
        last_success_at -> Nullable<Timestamp>,
        device_id -> Nullable<Text>,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        dedupe_key -> Text,
        kind -> Text,
        followup_id -> Nullable<BigInt>,
        threshold_days -> Nullable<Integer>,
        item_count -> Integer,
        urgent -> Bool,
        created_at -> Timestamp,
        deliver_after -> Timestamp,
        dispatched_at -> Nullable<Timestamp>,
        client_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    push_messages (id) {
        id -> BigInt,
        subscription_id -> Nullable<BigInt>,
        user_id -> BigInt,
        payload -> Text,
        urgent -> Bool,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    push_attempts (id) {
        id -> BigInt,
        message_id -> BigInt,
        subscription_id -> Nullable<BigInt>,
        attempted_at -> Timestamp,
        outcome -> Text,
        status_code -> Nullable<Integer>,
    }
}

diesel::table! {
    server_keys (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    referrals (id) {
        id -> BigInt,
        team_id -> BigInt,
        client_id -> BigInt,
        kind -> Text,
        partner_id -> Nullable<BigInt>,
        requested_on -> Date,
        started_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        outcome -> Nullable<Text>,
        outcome_note -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        waiting_since -> Nullable<Date>,
    }
}

diesel::table! {
    timeout_stays (id) {
        id -> BigInt,
        team_id -> BigInt,
        client_id -> BigInt,
        starts_on -> Date,
        ends_on -> Date,
        place -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        outcome -> Nullable<Text>,
        outcome_note -> Nullable<Text>,
        cancelled_at -> Nullable<Timestamp>,
        cancelled_by -> Nullable<BigInt>,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    flex_budgets (team_id, year) {
        team_id -> BigInt,
        year -> Integer,
        amount_cents -> BigInt,
        set_by -> BigInt,
        set_at -> Timestamp,
    }
}

diesel::table! {
    sheltered_housing_budgets (team_id, year) {
        team_id -> BigInt,
        year -> Integer,
        weeks -> Integer,
        set_by -> BigInt,
        set_at -> Timestamp,
    }
}

diesel::table! {
    stagnations (id) {
        id -> BigInt,
        team_id -> BigInt,
        client_id -> BigInt,
        kind -> Text,
        reason -> Text,
        status -> Text,
        reported_by -> BigInt,
        reported_at -> Timestamp,
        agreed_action -> Nullable<Text>,
        action_owner -> Nullable<Text>,
        action_due_on -> Nullable<Date>,
        answered_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    stagnation_events (id) {
        id -> BigInt,
        stagnation_id -> BigInt,
        occurred_at -> Timestamp,
        event -> Text,
        user_id -> Nullable<BigInt>,
        detail -> Nullable<Text>,
        action_owner -> Nullable<Text>,
        action_due_on -> Nullable<Date>,
    }
}

diesel::table! {
    flex_expenses (id) {
        id -> BigInt,
        team_id -> BigInt,
        client_id -> Nullable<BigInt>,
        spent_on -> Date,
        amount_cents -> BigInt,
        category -> Text,
        description -> Text,
        recorded_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    handovers (id) {
        id -> BigInt,
        client_id -> BigInt,
        from_user_id -> BigInt,
        to_user_id -> BigInt,
        starts_on -> Date,
        overlap_until -> Date,
        note -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assessments (id) {
        id -> BigInt,
        client_id -> BigInt,
        assessed_on -> Date,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
        corrected_at -> Nullable<Timestamp>,
        idempotency_key -> Nullable<Text>,
        request_hash -> Nullable<Text>,
    }
}

diesel::table! {
    assessment_scores (id) {
        id -> BigInt,
        assessment_id -> BigInt,
        domain -> Text,
        score -> Nullable<Integer>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    plan_goals (id) {
        id -> BigInt,
        client_id -> BigInt,
        body -> Text,
        domains -> Text,
        status -> Text,
        set_on -> Date,
        status_on -> Nullable<Date>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_actions (id) {
        id -> BigInt,
        goal_id -> BigInt,
        client_id -> BigInt,
        what -> Text,
        owner_id -> Nullable<BigInt>,
        partner_id -> Nullable<BigInt>,
        partner_contact -> Nullable<Text>,
        due_on -> Date,
        status -> Text,
        status_on -> Nullable<Date>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        followup_due_on -> Nullable<Date>,
    }
}

diesel::table! {
    plan_reviews (client_id) {
        client_id -> BigInt,
        review_on -> Date,
        set_by -> Nullable<BigInt>,
        set_at -> Timestamp,
    }
}

diesel::table! {
    plan_idempotency_keys (user_id, idem_key) {
        user_id -> BigInt,
        idem_key -> Text,
        request_hash -> Text,
        client_id -> BigInt,
        target -> Text,
        target_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    signals (id) {
        id -> BigInt,
        team_id -> BigInt,
        kind -> Text,
        status -> Text,
        occurred_at -> Timestamp,
        location_id -> Nullable<BigInt>,
        client_id -> Nullable<BigInt>,
        description -> Nullable<Text>,
        body -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        text_erased_at -> Nullable<Timestamp>,
        warning -> Bool,
    }
}

diesel::table! {
    signal_handoffs (id) {
        id -> BigInt,
        signal_id -> BigInt,
        recipient -> Text,
        recipient_detail -> Nullable<Text>,
        method -> Text,
        handed_at -> Timestamp,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    signal_indicators (id) {
        id -> BigInt,
        team_id -> BigInt,
        label -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    signal_indicator_marks (signal_id, indicator_id) {
        signal_id -> BigInt,
        indicator_id -> BigInt,
    }
}

diesel::table! {
    signal_idempotency_keys (user_id, idem_key) {
        user_id -> BigInt,
        idem_key -> Text,
        request_hash -> Text,
        signal_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_meetings (id) {
        id -> BigInt,
        team_id -> BigInt,
        starts_at -> Timestamp,
        location -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_meeting_partners (meeting_id, partner_id) {
        meeting_id -> BigInt,
        partner_id -> BigInt,
    }
}

diesel::table! {
    case_meeting_items (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        ordinal -> Integer,
        reason -> Text,
        client_id -> Nullable<BigInt>,
        title -> Text,
        summary -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_meeting_decisions (id) {
        id -> BigInt,
        item_id -> BigInt,
        client_id -> Nullable<BigInt>,
        what -> Text,
        owner_id -> Nullable<BigInt>,
        partner_id -> Nullable<BigInt>,
        partner_contact -> Nullable<Text>,
        due_on -> Date,
        created_by -> BigInt,
        created_at -> Timestamp,
        followup_due_on -> Nullable<Date>,
    }
}

diesel::joinable!(users -> teams (team_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(devices -> users (user_id));
diesel::joinable!(invitations -> users (user_id));
diesel::joinable!(clients -> teams (team_id));
diesel::joinable!(client_casemanagers -> clients (client_id));
diesel::joinable!(client_casemanagers -> users (user_id));
diesel::joinable!(client_status_changes -> clients (client_id));
diesel::joinable!(client_status_changes -> users (recorded_by));
diesel::joinable!(registration_events -> clients (client_id));
diesel::joinable!(registration_events -> users (recorded_by));
diesel::joinable!(assessments -> clients (client_id));
diesel::joinable!(assessments -> users (recorded_by));
diesel::joinable!(assessment_scores -> assessments (assessment_id));
diesel::joinable!(plan_goals -> clients (client_id));
diesel::joinable!(plan_actions -> plan_goals (goal_id));
diesel::joinable!(plan_actions -> partners (partner_id));
diesel::joinable!(plan_reviews -> clients (client_id));
diesel::joinable!(shifts -> locations (location_id));
diesel::joinable!(shift_staff -> shifts (shift_id));
diesel::joinable!(rota_templates -> locations (location_id));
diesel::joinable!(shift_staff -> users (user_id));
diesel::joinable!(contacts -> clients (client_id));
diesel::joinable!(followups -> clients (client_id));
diesel::joinable!(timeout_stays -> clients (client_id));
diesel::joinable!(referrals -> clients (client_id));
diesel::joinable!(stagnations -> clients (client_id));
diesel::joinable!(stagnation_events -> stagnations (stagnation_id));
diesel::joinable!(case_meeting_partners -> case_meetings (meeting_id));
diesel::joinable!(case_meeting_partners -> partners (partner_id));
diesel::joinable!(case_meeting_items -> case_meetings (meeting_id));
diesel::joinable!(case_meeting_decisions -> case_meeting_items (item_id));
diesel::joinable!(referrals -> partners (partner_id));
diesel::joinable!(flex_expenses -> clients (client_id));
diesel::joinable!(flex_expenses -> users (recorded_by));
diesel::joinable!(handovers -> clients (client_id));
diesel::joinable!(followup_events -> followups (followup_id));
diesel::joinable!(push_subscriptions -> users (user_id));
diesel::joinable!(push_messages -> push_subscriptions (subscription_id));
diesel::joinable!(signals -> users (recorded_by));
diesel::joinable!(signals -> locations (location_id));
diesel::joinable!(signal_handoffs -> signals (signal_id));
diesel::joinable!(signal_handoffs -> users (recorded_by));
diesel::joinable!(signal_indicator_marks -> signals (signal_id));
diesel::joinable!(signal_indicator_marks -> signal_indicators (indicator_id));

diesel::joinable!(totp_secrets -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(passkeys -> users (user_id));
diesel::joinable!(webauthn_ceremonies -> users (user_id));

diesel::table! {
    digest_days (day) {
        day -> Date,
        queued_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    teams,
    users,
    invitations,
    partners,
    sessions,
    devices,
    login_failures,
    locations,
    clients,
    client_casemanagers,
    client_status_changes,
    registration_events,
    assessments,
    assessment_scores,
    plan_goals,
    plan_actions,
    plan_reviews,
    plan_idempotency_keys,
    shifts,
    rota_templates,
    calendar_feeds,
    shift_staff,
    contacts,
    idempotency_keys,
    audit_log,
    audit_chain,
    totp_secrets,
    passkeys,
    webauthn_ceremonies,
    recovery_codes,
    followups,
    followup_events,
    push_subscriptions,
    notifications,
    push_messages,
    push_attempts,
    server_keys,
    timeout_stays,
    referrals,
    flex_budgets,
    flex_expenses,
    sheltered_housing_budgets,
    stagnations,
    stagnation_events,
    case_meetings,
    case_meeting_partners,
    case_meeting_items,
    case_meeting_decisions,
    handovers,
    signals,
    signal_handoffs,
    signal_indicators,
    signal_indicator_marks,
    signal_idempotency_keys,
    digest_days,
);
