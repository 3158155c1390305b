import pytest

from bot.answering.asks import Asks, asked, asks, compared_years, only_compared, supplies


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        pytest.param("How many reactors will the plant have?", Asks.COUNT, id="how-many"),
        pytest.param("How big is the sector?", Asks.QUANTITY, id="how-big"),
        pytest.param("telehealth consultations number", Asks.QUANTITY, id="keywords-number"),
        pytest.param("number of tech firms", Asks.QUANTITY, id="number-of"),
        pytest.param("How many people use it?", Asks.QUANTITY, id="people-may-be-a-share"),
        pytest.param("số lượng trung tâm dữ liệu", Asks.COUNT, id="vi-so-luong"),
        pytest.param("có bao nhiêu phần trăm", Asks.QUANTITY, id="vi-percent-is-not-a-count"),
        pytest.param("What share of GDP is digital?", Asks.QUANTITY, id="share"),
        pytest.param("Việt Nam có bao nhiêu kỹ sư?", Asks.COUNT, id="vi-bao-nhieu"),
        pytest.param("chuyển đổi số có mấy trụ cột", Asks.QUANTITY, id="vi-co-may"),
        pytest.param("nhà máy điện hạt nhân ở đâu", Asks.ANYTHING, id="vi-nha-may-is-not-may"),
        pytest.param("When was Resolution 57 issued?", Asks.TIME, id="when"),
        pytest.param("Nghị quyết 52 ban hành khi nào?", Asks.TIME, id="vi-khi-nao"),
        pytest.param("cơ sở dữ liệu hoàn thành vào tháng mấy?", Asks.TIME, id="vi-thang-may"),
        pytest.param("On what date was it signed?", Asks.DAY, id="what-date"),
        pytest.param("which exact day was the portal launched", Asks.DAY, id="which-day"),
        pytest.param("hội nghị tổ chức vào ngày nào?", Asks.DAY, id="vi-ngay-nao"),
        pytest.param("what year was it signed?", Asks.TIME, id="a-year-is-not-a-day"),
        pytest.param("What is PAPI?", Asks.ANYTHING, id="what-is"),
        pytest.param("Which eight provinces run the system?", Asks.NAMES, id="which-provinces"),
        pytest.param("những tỉnh nào triển khai", Asks.NAMES, id="vi-nhung-tinh-nao"),
        pytest.param("list all the provinces it runs in", Asks.NAMES, id="list-provinces"),
        pytest.param("list the three pillars", Asks.ANYTHING, id="list-pillars-not-names"),
        pytest.param("What will members do together?", Asks.ANYTHING, id="members-not-asked"),
        pytest.param("How many firms are there now?", Asks.PRESENT, id="now"),
        pytest.param("ten years from now, what share?", Asks.QUANTITY, id="from-now-is-future"),
        pytest.param("How much money did USAID give?", Asks.MONEY, id="how-much-money"),
        pytest.param("How much does the programme cost?", Asks.MONEY, id="cost"),
        pytest.param("How much does it spend on R&D?", Asks.QUANTITY, id="spend-may-be-a-share"),
        pytest.param("Which ministry ran the roundtables?", Asks.MINISTRY, id="which-ministry"),
        pytest.param("phối hợp với bộ nào?", Asks.MINISTRY, id="vi-bo-nao"),
        pytest.param("What is the project's website address?", Asks.CONTACT, id="web-address"),
        pytest.param("số điện thoại của UNDP", Asks.CONTACT, id="vi-phone"),
        pytest.param("one smartphone per person?", Asks.ANYTHING, id="smartphone-is-not-phone"),
        pytest.param("What did Pham The Truong say?", Asks.SAID, id="what-did-x-say"),
        pytest.param("Ông Hùng nói gì về chuyển đổi số?", Asks.SAID, id="vi-noi-gi"),
        pytest.param("Who is Pham The Truong?", Asks.ANYTHING, id="who-is-not-said"),
        pytest.param("What is the budget of the programme?", Asks.MONEY, id="budget-of"),
        pytest.param("kinh phí chương trình là bao nhiêu", Asks.MONEY, id="vi-kinh-phi"),
        pytest.param("giá trị hợp đồng là bao nhiêu tỷ đồng?", Asks.MONEY, id="vi-ty-dong"),
        pytest.param("được tài trợ bao nhiêu USD?", Asks.MONEY, id="vi-usd"),
        pytest.param("how much is the budget for them?", Asks.MONEY, id="how-much-budget"),
        pytest.param("what does each consultation cost?", Asks.MONEY, id="what-does-it-cost"),
        pytest.param("how much are they costing the state?", Asks.MONEY, id="costing"),
        pytest.param("and who signed it?", Asks.SIGNER, id="who-signed"),
        pytest.param("which party leader signed it?", Asks.SIGNER, id="which-leader-signed"),
        pytest.param("ai ký quyết định đó?", Asks.SIGNER, id="vi-ai-ky"),
        pytest.param("Who issued Resolution 52?", Asks.ANYTHING, id="issued-is-not-signed"),
    ],
)
def test_asks(question: str, kind: Asks) -> None:
    assert asks(question) is kind


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        pytest.param("issued Resolution No 52-NQ/TW in September 2019", {Asks.TIME}, id="dated-id"),
        pytest.param("operational by the end of 2030", {Asks.TIME}, id="year-only"),
        pytest.param("on December 9, 2019", {Asks.TIME, Asks.DAY}, id="month-day"),
        pytest.param("Dec 18, 2003", {Asks.TIME, Asks.DAY}, id="month-abbreviated-day"),
        pytest.param(
            "from 20 to 22 October",
            {Asks.TIME, Asks.DAY, Asks.QUANTITY, Asks.COUNT},
            id="day-month",
        ),
        pytest.param(
            "By May 2022, all 63 provinces",
            {Asks.TIME, Asks.QUANTITY, Asks.COUNT},
            id="month-year-is-no-day",
        ),
        pytest.param("about three-quarters of people", {Asks.QUANTITY, Asks.COUNT}, id="fraction"),
        pytest.param("a yield of 17.5–18.8%", {Asks.QUANTITY}, id="share-is-not-a-count"),
        pytest.param("ranked 50th in 2019", {Asks.QUANTITY, Asks.TIME}, id="rank-and-year"),
        pytest.param("US$1.4 million", {Asks.QUANTITY, Asks.COUNT, Asks.MONEY}, id="money"),
        pytest.param("support from USAID", set(), id="funder-is-not-a-sum"),
        pytest.param("organized by the Ministry of Posts", {Asks.MINISTRY}, id="ministry-named"),
        pytest.param("the MoIT said", {Asks.MINISTRY, Asks.SAID}, id="ministry-initialism"),
        pytest.param("Mr Hung stressed the point", {Asks.SAID}, id="reported-speech"),
        pytest.param("Mr Hung is the minister", set(), id="description-is-not-speech"),
        pytest.param("many ministries and localities", set(), id="ministries-unnamed"),
        pytest.param("Tel: 942 1495", {Asks.QUANTITY, Asks.COUNT, Asks.CONTACT}, id="phone"),
        pytest.param("Resolution 57 on science", set(), id="identifier-is-not-a-count"),
        pytest.param("created to respond to Covid-19", {Asks.TIME}, id="covid-19-is-a-name"),
        pytest.param("the Prime Minister's approval", {Asks.SIGNER}, id="approval-names-a-signer"),
        pytest.param("has signed an agreement", {Asks.SIGNER}, id="signed"),
    ],
)
def test_supplies(text: str, kinds: set[Asks]) -> None:
    assert supplies("", [text]) - {Asks.PRESENT} == {Asks.ANYTHING, *kinds}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("Countries such as Ukraine, Kenya, and Brazil", True, id="list"),
        pytest.param("urban centres such as Hanoi and Ho Chi Minh", True, id="pair"),
        pytest.param("deployed in eight provinces and cities", False, id="count-only"),
        pytest.param(
            "the Ministry of Information and Communications said", False, id="one-body-name"
        ),
    ],
)
def test_names(text: str, names: bool) -> None:
    assert (Asks.NAMES in supplies("", [text])) is names


@pytest.mark.parametrize(
    ("answer", "present"),
    [
        pytest.param("More than 80 percent are to have e-payment accounts.", False, id="is-to"),
        pytest.param("An average internet speed of 100 Mbps by 2025.", False, id="by-year"),
        pytest.param("Vietnam has approximately 1.15 million IT professionals.", True, id="fact"),
    ],
)
def test_a_target_does_not_tell_the_present(answer: str, present: bool) -> None:
    assert (Asks.PRESENT in supplies(answer)) is present
    assert asks("What is the average internet speed in Vietnam today?") is Asks.PRESENT


@pytest.mark.parametrize(
    ("texts", "years"),
    [
        pytest.param(["revenue more than double compared to 2015."], {"2015"}, id="compared-to"),
        pytest.param(["doanh thu gấp đôi so với năm 2015"], {"2015"}, id="vi-so-voi"),
        pytest.param(["users have tripled since 2019"], {"2019"}, id="since"),
        pytest.param(["higher than in 2019.", "In 2019 it was 5%."], set(), id="also-stated"),
        pytest.param(["chips by no later than 2027."], set(), id="deadline"),
        pytest.param(["50,000 firms in 2020, up 20% from 2019"], set(), id="from-is-no-base"),
    ],
)
def test_years_named_only_as_a_comparison_base(texts: list[str], years: set[str]) -> None:
    assert only_compared(texts) == years


def test_a_question_comparing_with_a_year_does_not_ask_about_it() -> None:
    assert compared_years("How much has revenue grown compared to 2015?") == {"2015"}
    assert compared_years("ICT revenue vs 2015") == {"2015"}
    assert compared_years("ICT revenue in 2015") == set()


def test_a_question_may_ask_for_several_kinds_the_most_specific_first() -> None:
    assert asked("How many data centres does Vietnam have today?") == (
        Asks.PRESENT,
        Asks.COUNT,
        Asks.QUANTITY,
    )
    assert asked("What is Decision 749?") == (Asks.ANYTHING,)
    assert asks("How many data centres does Vietnam have today?") is Asks.PRESENT
