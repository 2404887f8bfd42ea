using ServerlessComments.Comments;
using ServerlessComments.Web.Api;
using ServerlessComments.Moderation;

namespace ServerlessComments.Tests.Unit;

public class BuiltInDefencesTests
{
    private static CommentSubmission Comment(string body = "Merci pour l'article", string author = "Ann", string email = "ann@example.com",
        string? website = null, string? ip = "198.51.100.7", string? honeypot = null) => new()
    {
        Id = CommentId.New(DateTimeOffset.UtcNow), Thread = "/t/", Author = author, Email = email, Website = website, Body = body,
        CreatedAt = DateTimeOffset.UtcNow, Ip = ip, Honeypot = honeypot,
    };

    [Theory]
    [InlineData("no links at all", 0)]
    [InlineData("https://a.example", 1)]
    [InlineData("see http://a.example/x and HTTPS://B.example", 2)]
    [InlineData("www.a.example www.b.example https://c.example", 3)]
    [InlineData("http:// alone is not a link, nor is www. alone", 0)]
    public void Links_are_counted_in_plain_text(string text, int links) => Assert.Equal(links, BuiltInDefences.CountLinks(text));

    [Fact]
    public void A_clean_comment_is_published()
    {
        var verdict = BuiltInDefences.Judge(Comment(), new SpamOptions { HoldWords = "casino", BlockWords = "viagra" });
        Assert.Equal(Decision.Publish, verdict.Decision);
    }

    [Fact]
    public void The_honeypot_wins_over_everything()
    {
        var verdict = BuiltInDefences.Judge(Comment(honeypot: "x"), new SpamOptions());
        Assert.Equal(Decision.Spam, verdict.Decision);
        Assert.Contains("honeypot", verdict.Reasons.Single());
    }

    [Theory]
    [InlineData(2, "https://a.example https://b.example", Decision.Publish)]
    [InlineData(2, "https://a.example https://b.example https://c.example", Decision.Hold)]
    [InlineData(0, "https://a.example", Decision.Hold)]
    public void More_links_than_allowed_hold(int maxLinks, string body, Decision expected) =>
        Assert.Equal(expected, BuiltInDefences.Judge(Comment(body), new SpamOptions { MaxLinks = maxLinks }).Decision);

    [Theory]
    [InlineData("body", "I love Casino nights", "ann@example.com", null, "198.51.100.7")]
    [InlineData("author", "Hello", "ann@example.com", null, "198.51.100.7")]
    [InlineData("email", "Hello", "casino@example.com", null, "198.51.100.7")]
    [InlineData("website", "Hello", "ann@example.com", "https://casino.example/", "198.51.100.7")]
    [InlineData("ip", "Hello", "ann@example.com", null, "203.0.113.66")]
    public void Word_lists_match_every_field(string where, string body, string email, string? website, string ip)
    {
        var author = where == "author" ? "Casino Royale" : "Ann";
        var options = new SpamOptions { HoldWords = "casino\n203.0.113.66", BlockWords = "" };
        var held = BuiltInDefences.Judge(Comment(body, author, email, website, ip), options);
        Assert.Equal(Decision.Hold, held.Decision);

        var blocking = new SpamOptions { HoldWords = "", BlockWords = "casino, 203.0.113.66" };
        Assert.Equal(Decision.Spam, BuiltInDefences.Judge(Comment(body, author, email, website, ip), blocking).Decision);
    }

    [Fact]
    public void Word_lists_split_on_new_lines_and_commas_and_ignore_blanks() =>
        Assert.Equal(["a b", "c", "d"], SpamOptions.Words(" a b ,\n\nc\r\n, d ,"));

    [Theory]
    [InlineData("203.0.113.9", 1, "203.0.113.9")]
    // A client that sends its own X-Forwarded-For: the front end appends the address it saw, the rightmost.
    [InlineData("1.2.3.4, 203.0.113.9", 1, "203.0.113.9")]
    [InlineData("6.6.6.6, 203.0.113.9, 10.0.0.1", 2, "203.0.113.9")]
    [InlineData("203.0.113.9", 3, "203.0.113.9")]
    [InlineData("203.0.113.9:52311", 1, "203.0.113.9")]
    [InlineData("[2001:db8::1]:443", 1, "2001:db8::1")]
    [InlineData("spoofed, 2001:db8::1", 1, "2001:db8::1")]
    [InlineData("not-an-ip", 1, null)]
    [InlineData("", 1, null)]
    public void The_client_ip_is_read_from_the_right_past_the_trusted_proxies(string header, int hops, string? ip) =>
        Assert.Equal(ip, ClientContext.ParseForwardedFor(header, hops));

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    public void Flood_control_counts_an_ipv6_subscribers_whole_64(string ip, string network) =>
        Assert.Equal(network, ServerlessComments.Accepting.CommentAcceptance.FloodNetwork(ip));

    [Fact]
    public void Retries_wait_longer_each_time_up_to_an_hour()
    {
        var options = new SpamRetryOptions { RetryDelaySeconds = 30 };
        var delays = Enumerable.Range(0, 12).Select(options.RetryDelay).ToList();
        Assert.Equal(TimeSpan.FromSeconds(30), delays[0]);
        Assert.Equal(TimeSpan.FromSeconds(60), delays[1]);
        Assert.True(delays.Zip(delays.Skip(1)).All(p => p.Second >= p.First));
        Assert.Equal(TimeSpan.FromHours(1), delays[^1]);
    }

    [Theory]
    [InlineData("none", ModerationMode.None)]
    [InlineData("First-Time", ModerationMode.FirstTime)]
    [InlineData(" all ", ModerationMode.All)]
    [InlineData("sometimes", null)]
    public void Moderation_modes_are_read_from_their_setting(string setting, ModerationMode? mode) =>
        Assert.Equal(mode, new ModerationOptions { Mode = setting }.ParsedMode);

    private static readonly OwnerLists Owner = new()
    {
        BlockEmails = ["troll@example.com"], BlockDomains = ["spam.example"], BlockIps = ["203.0.113.0/24", "2001:db8::/48"],
        HoldEmails = ["new@example.com"], HoldDomains = ["free-mail.example"], HoldIps = ["198.51.100.99"], HoldWords = ["bitcoin"], BlockWords = ["casino"],
    };

    [Theory]
    [InlineData("TROLL@example.com", null, "198.51.100.7", Decision.Spam)]
    [InlineData("eve@mail.spam.example", null, "198.51.100.7", Decision.Spam)]
    [InlineData("eve@notspam.example", null, "198.51.100.7", Decision.Publish)]
    [InlineData("ann@example.com", "https://www.spam.example/x", "198.51.100.7", Decision.Spam)]
    [InlineData("ann@example.com", null, "203.0.113.200", Decision.Spam)]
    [InlineData("ann@example.com", null, "2001:db8:0:1::5", Decision.Spam)]
    [InlineData("ann@example.com", null, "2001:db9::5", Decision.Publish)]
    [InlineData("new@example.com", null, "198.51.100.7", Decision.Hold)]
    [InlineData("bob@free-mail.example", null, "198.51.100.7", Decision.Hold)]
    [InlineData("ann@example.com", null, "198.51.100.99", Decision.Hold)]
    public void The_owner_s_lists_block_or_hold_by_address_domain_and_network(string email, string? website, string ip, Decision expected)
    {
        var verdict = BuiltInDefences.Judge(Comment(email: email, website: website, ip: ip), new SpamOptions { MaxLinks = 5 }, Owner);
        Assert.Equal(expected, verdict.Decision);
    }

    [Theory]
    [InlineData("TROLL@example.com", "198.51.100.7")]
    [InlineData("new@example.com", "198.51.100.7")]
    [InlineData("ann@example.com", "198.51.100.99")]
    [InlineData("ann@example.com", "203.0.113.200")]
    public void Reasons_name_the_list_not_the_address_or_ip(string email, string ip)
    {
        // Reasons are kept with the comment and written to logs: an erasure could not reach a
        // quoted address or IP there, so they never hold one.
        var verdict = BuiltInDefences.Judge(Comment(email: email, ip: ip), new SpamOptions(), Owner);
        Assert.NotEqual(Decision.Publish, verdict.Decision);
        Assert.All(verdict.Reasons, r =>
        {
            Assert.DoesNotContain(email, r, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(ip, r);
            Assert.DoesNotContain("198.51.100.99", r);
        });
    }

    [Fact]
    public void The_owner_s_words_add_to_the_configured_ones()
    {
        Assert.Equal(Decision.Hold, BuiltInDefences.Judge(Comment("Buy BITCOIN now"), new SpamOptions { HoldWords = "crypto" }, Owner).Decision);
        Assert.Equal(Decision.Spam, BuiltInDefences.Judge(Comment("Best casino"), new SpamOptions(), Owner).Decision);
        Assert.Equal(Decision.Hold, BuiltInDefences.Judge(Comment("crypto"), new SpamOptions { HoldWords = "crypto" }, Owner).Decision);
    }

    [Fact]
    public void Lists_are_cleaned_and_a_bad_entry_names_its_list()
    {
        var (lists, problems) = OwnerLists.Clean(new OwnerLists { HoldWords = [" a ", "A", "", "b"], BlockEmails = ["X@Example.com"] });
        Assert.Empty(problems);
        Assert.Equal(["a", "b"], lists!.HoldWords);
        Assert.Equal(["x@example.com"], lists.BlockEmails);
        var (none, bad) = OwnerLists.Clean(new OwnerLists { HoldIps = ["10.0.0.0/33"], BlockDomains = ["user@x.example"], SpamRetentionDays = -1 });
        Assert.Null(none);
        Assert.Equal(["blockDomains", "holdIps", "spamRetentionDays"], bad.Keys.Order());
    }
}
