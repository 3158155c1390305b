"""Every fixed text the bot says, in English and Vietnamese.

Quotes stay as written in the articles (English); answer lines come from
intents.yaml in the reply's language; everything around them follows it too.
How many articles the bot answers from is never written here: texts say `{count}`
and the callers fill in the number of articles in the knowledge (`count_words`).
"""

from __future__ import annotations

from datetime import date

from bot.answering.menus import MENUS
from bot.models import Chat, Lang
from bot.text import MONTHS

_NUMBERS = {
    Lang.EN: "zero one two three four five six seven eight nine ten".split(),
    Lang.VI: "không một hai ba bốn năm sáu bảy tám chín mười".split(),
}
# Each language's own name, as the /lang buttons show it.
LANGUAGE_NAMES = {Lang.EN: "English", Lang.VI: "Tiếng Việt"}

_TEXTS: dict[str, dict[Lang, str]] = {
    "greeting": {
        Lang.EN: "Hello! Ask me about Vietnam's digital transformation and ICT policy, "
        "for example: What is Decision 749?",
        Lang.VI: "Xin chào! Hãy hỏi tôi về chuyển đổi số và chính sách CNTT-TT của Việt Nam, "
        "ví dụ: Quyết định 749 là gì?",
    },
    "thanks": {
        Lang.EN: "You're welcome! Ask another question any time.",
        Lang.VI: "Không có gì! Bạn cứ hỏi tiếp nhé.",
    },
    "goodbye": {
        Lang.EN: "Goodbye! Come back with more questions about Vietnam's digital policy.",
        Lang.VI: "Tạm biệt! Hẹn gặp lại bạn với những câu hỏi mới về chính sách số.",
    },
    "identity": {
        Lang.EN: "I am policybot. I answer questions about Vietnam's national digital "
        "transformation and ICT policy from {count} news articles, and I always show the "
        "sentence and the article my answer rests on. I give no advice.",
        Lang.VI: "Tôi là policybot. Tôi trả lời câu hỏi về chuyển đổi số quốc gia và chính "
        "sách CNTT-TT của Việt Nam dựa trên {count} bài báo, luôn kèm câu trích dẫn và nguồn. "
        "Tôi không đưa ra lời khuyên.",
    },
    "help": {
        Lang.EN: "Ask a question in English or Vietnamese, for example:\n"
        "• What is Decision 749?\n"
        "• How many IT professionals does Vietnam have?\n"
        "• chuyển đổi số có mấy trụ cột?\n"
        "I answer in one line, quote the sentence it rests on and name the article.",
        Lang.VI: "Hãy đặt câu hỏi bằng tiếng Việt hoặc tiếng Anh, ví dụ:\n"
        "• Quyết định 749 là gì?\n"
        "• Việt Nam có bao nhiêu chuyên gia CNTT?\n"
        "• Chuyển đổi số có mấy trụ cột?\n"
        "Tôi trả lời ngắn gọn, trích nguyên văn câu làm căn cứ và ghi rõ bài báo.",
    },
    "fallback": {
        Lang.EN: "Sorry, the articles I know don't answer that.",
        Lang.VI: "Xin lỗi, các bài báo tôi có không trả lời câu hỏi này.",
    },
    "coverage": {
        Lang.EN: "I cover Vietnam's digital transformation and ICT policy: the national "
        "programme and its targets, e-government, the digital economy, the ICT industry, "
        "internet use and skills, and international cooperation.",
        Lang.VI: "Tôi nắm thông tin về chuyển đổi số và chính sách CNTT-TT của Việt Nam: "
        "chương trình quốc gia và các mục tiêu, chính phủ điện tử, kinh tế số, ngành CNTT-TT, "
        "sử dụng internet, kỹ năng và hợp tác quốc tế.",
    },
    "pointer": {
        Lang.EN: "The closest sentence I found (it may not answer your question):",
        Lang.VI: "Câu gần nhất tôi tìm được (có thể chưa trả lời đúng câu hỏi):",
    },
    # A near miss: the question asks for something the closest topic does not state.
    "missing_quantity": {
        Lang.EN: "The articles don't give the figure you asked for.",
        Lang.VI: "Các bài báo không nêu con số bạn hỏi.",
    },
    "missing_count": {
        Lang.EN: "The articles don't give that number.",
        Lang.VI: "Các bài báo không nêu số lượng này.",
    },
    "missing_time": {
        Lang.EN: "The articles don't give the date or year you asked for.",
        Lang.VI: "Các bài báo không nêu thời điểm bạn hỏi.",
    },
    "missing_day": {
        Lang.EN: "The articles don't give the day you asked for.",
        Lang.VI: "Các bài báo không nêu ngày cụ thể bạn hỏi.",
    },
    "missing_present": {
        Lang.EN: "The articles don't say how things stand now, only what is planned.",
        Lang.VI: "Các bài báo không nói hiện trạng, chỉ nêu kế hoạch, mục tiêu.",
    },
    "missing_names": {
        Lang.EN: "The articles don't name them.",
        Lang.VI: "Các bài báo không nêu tên cụ thể.",
    },
    "missing_ministry": {
        Lang.EN: "The articles don't name the ministry.",
        Lang.VI: "Các bài báo không nêu tên bộ.",
    },
    "missing_money": {
        Lang.EN: "The articles don't give that sum of money.",
        Lang.VI: "Các bài báo không nêu số tiền này.",
    },
    "missing_contact": {
        Lang.EN: "The articles don't give that address or number.",
        Lang.VI: "Các bài báo không nêu địa chỉ hay số điện thoại này.",
    },
    "missing_said": {
        Lang.EN: "The articles don't report what was said about that.",
        Lang.VI: "Các bài báo không thuật lại phát biểu về điều này.",
    },
    "missing_signer": {
        Lang.EN: "The articles don't say who signed it.",
        Lang.VI: "Các bài báo không nêu ai đã ký.",
    },
    "missing_number": {
        Lang.EN: "The articles don't give a figure for the number or year in your question.",
        Lang.VI: "Các bài báo không có số liệu ứng với con số hay năm trong câu hỏi của bạn.",
    },
    "missing_place": {
        Lang.EN: "The articles don't give that for the place you asked about.",
        Lang.VI: "Các bài báo không nêu thông tin này cho nơi bạn hỏi.",
    },
    "missing_pointer": {
        Lang.EN: "What they do say on the closest topic:",
        Lang.VI: "Nội dung gần nhất mà các bài báo có nêu:",
    },
    "clarify": {
        Lang.EN: "I'm not sure which of these you mean:",
        Lang.VI: "Tôi chưa chắc bạn muốn hỏi điều nào:",
    },
    "clarify_hint": {
        Lang.EN: "Pick one, or rephrase your question.",
        Lang.VI: "Hãy chọn một mục hoặc diễn đạt lại câu hỏi.",
    },
    "none_of_these": {Lang.EN: "None of these", Lang.VI: "Không mục nào"},
    "pick_hint": {
        Lang.EN: "Type the number of one of the questions above, or 0 if none of them fits.",
        Lang.VI: "Hãy gõ số của một câu hỏi ở trên, hoặc 0 nếu không câu nào phù hợp.",
    },
    "none_reply": {
        Lang.EN: "Thanks, noted: none of those fitted. Try other words, or browse what the"
        " articles cover with /topics.",
        Lang.VI: "Cảm ơn, tôi đã ghi nhận: không mục nào phù hợp. Hãy thử diễn đạt khác, hoặc"
        " xem các chủ đề với /topics.",
    },
    "reported": {Lang.EN: "as reported on {date}", Lang.VI: "đăng ngày {date}"},
    "no_date": {Lang.EN: "date not printed", Lang.VI: "không ghi ngày"},
    "no_publisher": {Lang.EN: "publisher not printed", Lang.VI: "không ghi nơi đăng"},
    "supplied_title": {
        Lang.EN: "descriptive title; the page prints none",
        Lang.VI: "tiêu đề mô tả; bài không in tiêu đề",
    },
    "source": {Lang.EN: "Source", Lang.VI: "Nguồn"},
    "related_news": {
        Lang.EN: "related-news item on the {publisher} page, not part of the article",
        Lang.VI: "tin liên quan trên trang {publisher}, không thuộc bài báo",
    },
    "related_news_page": {
        Lang.EN: "related-news item on the page, not part of the article",
        Lang.VI: "tin liên quan trên trang, không thuộc bài báo",
    },
    "error": {
        Lang.EN: "Sorry, something went wrong on my side. Please try again in a moment.",
        Lang.VI: "Xin lỗi, đã có lỗi từ phía tôi. Vui lòng thử lại sau giây lát.",
    },
    "inline_none": {
        Lang.EN: "No answer found: ask me directly",
        Lang.VI: "Không tìm thấy câu trả lời: hỏi trực tiếp",
    },
    "console": {
        Lang.EN: "policybot: ask about Vietnam's digital transformation and ICT policy in "
        "English or Vietnamese. /lang en or /lang vi sets the language; /quit or Ctrl-D "
        "to leave.",
        Lang.VI: "policybot: hãy hỏi về chuyển đổi số và chính sách CNTT-TT của Việt Nam "
        "bằng tiếng Việt hoặc tiếng Anh. /lang vi hoặc /lang en để chọn ngôn ngữ; /quit "
        "hoặc Ctrl-D để thoát.",
    },
    "flood": {
        Lang.EN: "You're sending messages faster than I can answer them, so I'll pause "
        "for a minute. Please ask again after that.",
        Lang.VI: "Bạn đang gửi tin nhắn nhanh hơn tôi có thể trả lời, nên tôi sẽ tạm dừng "
        "một phút. Vui lòng hỏi lại sau đó.",
    },
}
TEXTS = _TEXTS | MENUS

_CHAT_TEXT = {
    Chat.GREETING: "greeting",
    Chat.THANKS: "thanks",
    Chat.GOODBYE: "goodbye",
    Chat.IDENTITY: "identity",
    Chat.HELP: "help",
    Chat.EMPTY: "help",
}


def text(key: str, lang: Lang, count: int | None = None) -> str:
    """The fixed text `key` in `lang`; `count` articles fill in its `{count}`, if it has one."""
    template = TEXTS[key][lang]
    if count is None:
        if "{count}" in template:
            raise ValueError(f"the text {key!r} needs the number of articles")
        return template
    return template.replace("{count}", count_words(count, lang))


def count_words(count: int, lang: Lang) -> str:
    """A count as the texts say it: 'five' or 'năm', in figures from eleven on."""
    words = _NUMBERS[lang]
    return words[count] if 0 <= count < len(words) else str(count)


def event_date(year: int, month: int, day: int, lang: Lang) -> str:
    """A date as precisely as it is known: '9 December 2019', 'September 2019', '2019'
    ('09/12/2019', 'tháng 9/2019', '2019' in Vietnamese); 0 for an unknown month or day."""
    if not month:
        return str(year)
    if lang is Lang.VI:
        return f"{day:02d}/{month:02d}/{year}" if day else f"tháng {month}/{year}"
    name = MONTHS[month - 1]
    return f"{day} {name} {year}" if day else f"{name} {year}"


def chat_text(chat: Chat, lang: Lang, count: int) -> str:
    """The reply to small talk; `count` is the number of articles the bot answers from."""
    return text(_CHAT_TEXT[chat], lang, count)


def format_date(day: date | None, lang: Lang, printed: str | None = None) -> str:
    """'as reported on Dec 18, 2003' (in English as the article `printed` it, else
    '15 October 2020'), 'đăng ngày 15/10/2020', or 'date not printed'."""
    if day is None:
        return text("no_date", lang)
    if lang is Lang.VI:
        shown = f"{day.day:02d}/{day.month:02d}/{day.year}"
    else:
        shown = printed or f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return text("reported", lang).format(date=shown)


def related_news(publisher: str | None, lang: Lang) -> str:
    """What a citation from a related-news teaser says about itself."""
    if publisher is None:
        return text("related_news_page", lang)
    return text("related_news", lang).format(publisher=publisher)
