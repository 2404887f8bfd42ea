using ServerlessComments.Comments;

namespace ServerlessComments.Tests.Unit;

public class CommentValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private static CommentForm Valid() => new()
    {
        Thread = "/2024/03/legitimite-reseaux-sociaux/",
        Author = "Sandrine",
        Email = "sandrine@example.com",
        Body = "Bravo pour ton témoignage !",
    };

    private static CommentValidator.Result Validate(CommentForm form) => CommentValidator.Validate(form, CommentId.New(Now), Now);

    private static void AssertOnlyError(CommentForm form, string field)
    {
        var result = Validate(form);
        Assert.False(result.IsValid);
        Assert.Equal([field], result.Errors.Keys);
        Assert.NotEmpty(result.Errors[field][0]);
    }

    [Fact]
    public void A_valid_comment_is_accepted_with_its_fields_cleaned()
    {
        var form = Valid();
        form.Author = "  Jean \t\n Dupont  ";
        form.Body = "  first line\r\nsecond line\rthird\u0007 line  ";
        form.Website = " https://example.org/blog ";
        form.PageUrl = "https://blog.example.com/2024/03/legitimite-reseaux-sociaux/";
        form.PageTitle = "Légitimité\net réseaux";
        form.NotifyOnReply = true;

        var comment = Validate(form).Submission!;

        Assert.Equal("Jean Dupont", comment.Author);
        Assert.Equal("first line\nsecond line\nthird line", comment.Body);
        Assert.Equal("https://example.org/blog", comment.Website);
        Assert.Equal("Légitimité et réseaux", comment.PageTitle);
        Assert.True(comment.NotifyOnReply);
        Assert.Equal(Now, comment.CreatedAt);
        Assert.Equal(form.Thread, comment.Thread);
    }

    [Theory]
    [InlineData("fr", "Cette adresse e-mail n’est pas valide.", "Votre site web doit être une adresse complète commençant par http:// ou https://.", "Le texte du commentaire doit faire au plus 10\u202f000 caractères.")]
    [InlineData("fr-CA", "Cette adresse e-mail n’est pas valide.", "Votre site web doit être une adresse complète commençant par http:// ou https://.", "Le texte du commentaire doit faire au plus 10\u202f000 caractères.")]
    [InlineData("en", "This is not a valid email address.", "Your website must be an absolute http:// or https:// address.", "The comment's text must be at most 10,000 characters.")]
    [InlineData("de", "Das ist keine gültige E-Mail-Adresse.", "Deine Website muss eine vollständige Adresse mit http:// oder https:// sein.", "Der Text des Kommentars darf höchstens 10.000 Zeichen lang sein.")]
    [InlineData("sv", "This is not a valid email address.", "Your website must be an absolute http:// or https:// address.", "The comment's text must be at most 10,000 characters.")]
    [InlineData(null, "This is not a valid email address.", "Your website must be an absolute http:// or https:// address.", "The comment's text must be at most 10,000 characters.")]
    public void A_reader_is_told_what_is_wrong_in_the_page_language(string? lang, string email, string website, string body)
    {
        var form = Valid();
        form.Lang = lang;
        form.Email = "pas-une-adresse";
        form.Website = "javascript:alert(1)";
        form.Body = new string('a', CommentValidator.MaxBodyLength + 1);
        var errors = Validate(form).Errors;
        Assert.Equal(email, errors["email"].Single());
        Assert.Equal(website, errors["website"].Single());
        Assert.Equal(body, errors["body"].Single());
    }

    [Fact]
    public void Every_missing_required_field_is_named()
    {
        var result = Validate(new CommentForm());
        Assert.False(result.IsValid);
        Assert.Equal(["author", "body", "email", "thread"], result.Errors.Keys.Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/a\u0000b/")]
    [InlineData("/a\nb/")]
    [InlineData("/a\u0085b/")]
    public void A_bad_thread_is_refused(string thread)
    {
        var form = Valid();
        form.Thread = thread;
        AssertOnlyError(form, "thread");
    }

    [Fact]
    public void Broken_unicode_is_refused_in_every_text_field()
    {
        var lone = "a" + (char)0xD800 + "b";
        foreach (var (field, set) in new (string, Action<CommentForm>)[]
                 {
                     ("thread", f => f.Thread = lone), ("author", f => f.Author = lone),
                     ("body", f => f.Body = lone), ("pageTitle", f => f.PageTitle = lone),
                 })
        {
            var form = Valid();
            set(form);
            AssertOnlyError(form, field);
        }
    }

    [Fact]
    public void Thread_length_counts_characters_not_utf16_units()
    {
        var form = Valid();
        form.Thread = string.Concat(Enumerable.Repeat("😀", 400));
        Assert.True(Validate(form).IsValid);
        form.Thread = new string('a', 401);
        AssertOnlyError(form, "thread");
    }

    [Fact]
    public void A_thread_may_hold_characters_table_keys_forbid()
    {
        var form = Valid();
        form.Thread = @"/a\b#c?d=1/";
        Assert.Equal(@"/a\b#c?d=1/", Validate(form).Submission!.Thread);
    }

    [Fact]
    public void Author_is_1_to_80_characters_after_trimming()
    {
        var form = Valid();
        form.Author = "  " + new string('é', 80) + "  ";
        Assert.True(Validate(form).IsValid);
        form.Author = new string('é', 81);
        AssertOnlyError(form, "author");
        form.Author = " \n\t ";
        AssertOnlyError(form, "author");
    }

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("a@")]
    [InlineData("Ann <ann@example.com>")]
    [InlineData("ann @example.com")]
    [InlineData("ann@exa mple.com")]
    public void A_bad_email_is_refused(string email)
    {
        var form = Valid();
        form.Email = email;
        AssertOnlyError(form, "email");
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.org/")]
    [InlineData("/relative/path")]
    [InlineData("example.org")]
    [InlineData("http://user:pass@example.org/")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    public void A_website_must_be_an_http_or_https_url(string website)
    {
        var form = Valid();
        form.Website = website;
        AssertOnlyError(form, "website");
        form.Website = null;
        form.PageUrl = website;
        AssertOnlyError(form, "pageUrl");
    }

    [Fact]
    public void An_empty_website_means_none()
    {
        var form = Valid();
        form.Website = "   ";
        Assert.Null(Validate(form).Submission!.Website);
    }

    [Fact]
    public void Body_is_1_to_10000_characters_after_trimming()
    {
        var form = Valid();
        form.Body = "\n  " + string.Concat(Enumerable.Repeat("é😀", 5000)) + "  \n";
        Assert.Equal(15_000, Validate(form).Submission!.Body.Length); // 10,000 characters, 15,000 UTF-16 units
        form.Body = new string('x', 10_001);
        AssertOnlyError(form, "body");
        form.Body = " \r\n ";
        AssertOnlyError(form, "body");
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("01A21BD634D976F29DEACC9C3EC91634")]
    [InlineData("01a21bd634d976f29deacc9c3ec9163")]
    public void A_malformed_parent_id_is_refused(string parentId)
    {
        var form = Valid();
        form.ParentId = parentId;
        AssertOnlyError(form, "parentId");
    }

    [Fact]
    public void A_page_title_over_300_characters_is_refused()
    {
        var form = Valid();
        form.PageTitle = new string('t', 301);
        AssertOnlyError(form, "pageTitle");
    }
}
