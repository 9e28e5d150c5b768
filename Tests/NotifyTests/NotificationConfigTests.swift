import Assembly
import Config
import Notify
import Testing
import TradsecCore

@Suite struct NotificationConfigTests {
    static let example = """
        theme: default
        notifications:
          channels:
            - name: oncall-slack
              type: slack
              url_env: SLACK_URL
              min_priority: warning
              group_window: 30s
              rate_limit: 20/min
            - {name: pd, type: pagerduty, routing_key_env: PD_KEY, min_priority: critical}
            - {name: mail, type: email, url: "smtp://127.0.0.1:25", from: tradsec@host, to: [oncall@x], min_priority: error}
            - {name: am, type: alertmanager, url: "http://127.0.0.1:9093"}
            - {name: tg, type: telegram, token_env: TG_TOKEN, chat_id: "-1001234"}
            - {name: dc, type: discord, url: "https://discord.com/api/webhooks/1/x", username: tradsec}
            - {name: hook, type: webhook, url: "http://127.0.0.1:8080/in", headers_env: {Authorization: HOOK_AUTH}, retry_initial: 500ms, retry_max: 1m}
        """

    @Test func readsEveryChannelTypeOfTheExample() throws {
        let config = try TradsecConfig.section(NotificationConfig.self, yaml: Self.example, file: "config.yaml")
        #expect(config.channels.map(\.name) == ["oncall-slack", "pd", "mail", "am", "tg", "dc", "hook"])
        let slack = try #require(config.channel(named: "oncall-slack"))
        #expect(slack.kind == .slack)
        #expect(slack.url == .environment("SLACK_URL"))
        #expect(slack.minPriority == .warning)
        #expect(slack.groupWindow == 30)
        #expect(slack.rateLimit == RateLimit(count: 20, per: 60))
        let pd = try #require(config.channel(named: "pd"))
        #expect(pd.routingKey == .environment("PD_KEY"))
        #expect(pd.minPriority == .critical)
        #expect(pd.url == .inline("https://events.pagerduty.com/v2/enqueue"))
        let mail = try #require(config.channel(named: "mail"))
        #expect(mail.to == ["oncall@x"])
        #expect(mail.from == "tradsec@host")
        #expect(mail.minPriority == .error)
        #expect(config.channel(named: "tg")?.chatID == "-1001234")
        let hook = try #require(config.channel(named: "hook"))
        #expect(hook.headers["Authorization"] == .environment("HOOK_AUTH"))
        #expect(hook.retryInitial == 0.5)
        #expect(hook.retryMax == 60)
    }

    @Test func anUnknownKeyIsRefusedWithFileAndLine() {
        let yaml = """
            notifications:
              channels:
                - name: s
                  type: slack
                  url: https://hooks.slack.com/services/x
                  min_prio: warning
            """
        #expect(throws: ConfigError.self) { try TradsecConfig.section(NotificationConfig.self, yaml: yaml, file: "/etc/tradsec/config.yaml") }
        do {
            _ = try TradsecConfig.section(NotificationConfig.self, yaml: yaml, file: "/etc/tradsec/config.yaml")
        } catch {
            #expect("\(error)".hasPrefix("/etc/tradsec/config.yaml:6: "), "\(error)")
            #expect("\(error)".contains("unknown key 'min_prio'"))
        }
        let section = "notifications:\n  channel: []\n"
        #expect {
            try TradsecConfig.section(NotificationConfig.self, yaml: section, file: "c.yaml")
        } throws: { error in
            "\(error)".hasPrefix("c.yaml:2: unknown key 'channel' in notifications; did you mean 'channels'?")
        }
    }

    @Test func badValuesSayWhatIsExpected() {
        func error(_ channel: String) -> String {
            do {
                _ = try TradsecConfig.section(NotificationConfig.self, yaml: "notifications:\n  channels:\n    - \(channel)\n", file: "c.yaml")
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(error("{name: a, type: sms, url: http://x}").contains("type must be one of slack, telegram, discord, webhook, pagerduty, email, alertmanager, not 'sms'"))
        #expect(error("{name: a, type: slack}").contains("needs url or url_env"))
        #expect(error("{name: a, type: slack, url: http://x, url_env: X}").contains("not both"))
        #expect(error("{name: a, type: slack, url: http://x, rate_limit: lots}").contains("rate_limit must be N/sec, N/min, N/hour or N/<duration>, not 'lots'"))
        #expect(error("{name: a, type: slack, url: http://x, group_window: soon}").contains("group_window must be a duration"))
        #expect(error("{name: a, type: slack, url: http://x, min_priority: loud}").contains("min_priority must be a Falco priority"))
        #expect(error("{name: a, type: slack, url: ftp://x}").contains("http:// or https://"))
        #expect(error("{name: a, type: telegram, token: t}").contains("needs chat_id"))
        #expect(error("{name: a, type: email, url: smtp://h, from: a@b}").contains("needs to:"))
        #expect(error("{name: a, type: email, url: http://h, from: a@b, to: c@d}").contains("smtp://"))
        #expect(error("{name: a, type: pagerduty, url_env: X, routing_key: k}").contains("unknown key 'url_env' in channel 'a' (pagerduty)"))
    }

    @Test func alertmanagerTakesItsURLFromTheEnvironmentToo() throws {
        let config = try TradsecConfig.section(NotificationConfig.self, yaml: "notifications:\n  channels:\n    - {name: am, type: alertmanager, url_env: AM_URL}\n",
                                                  file: "c.yaml")
        #expect(config.channel(named: "am")?.url == .environment("AM_URL"))
    }

    @Test func anInlineSecretNeverAppearsInAnError() {
        let yaml = "notifications:\n  channels:\n    - {name: a, type: slack, url: 'gopher://hooks.example/T000/B000/SECRETSECRET'}\n"
        do {
            _ = try TradsecConfig.section(NotificationConfig.self, yaml: yaml, file: "c.yaml")
            Issue.record("a gopher URL must be refused")
        } catch {
            #expect(!"\(error)".contains("SECRETSECRET"))
        }
        #expect(Secret.inline("SECRETSECRET").description == "(set in the config)")
        #expect(Secret.environment("SLACK_URL").description == "$SLACK_URL")
    }

    @Test func noSectionMeansNoChannels() throws {
        #expect(try TradsecConfig.section(NotificationConfig.self, yaml: "theme: default\n", file: "c").channels.isEmpty)
        #expect(try TradsecConfig.section(NotificationConfig.self, yaml: "", file: "c").channels.isEmpty)
    }

    @Test func rateLimitsInTheirSpellings() {
        #expect(RateLimit(text: "20/min") == RateLimit(count: 20, per: 60))
        #expect(RateLimit(text: "1/s") == RateLimit(count: 1, per: 1))
        #expect(RateLimit(text: "100/hour") == RateLimit(count: 100, per: 3600))
        #expect(RateLimit(text: "5/10s") == RateLimit(count: 5, per: 10))
        #expect(RateLimit(text: "0/min") == nil)
        #expect(RateLimit(text: "ten/min") == nil)
    }
}
