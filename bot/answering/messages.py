"""Every fixed text the bot says, in English and Vietnamese.

Quotes stay as written in the articles (English); answer lines come from
intents.yaml in the reply's language; everything around them follows it too.
How many articles the bot answers from is never written here: texts say `{count}`
and the callers fill in the number of articles in the knowledge (`count_words`).
"""

from __future__ import annotations

from datetime import date

from bot.models import Chat, Lang

_MONTHS_EN = """January February March April May June July August September October November
    December""".split()
_NUMBERS = {
    Lang.EN: "zero one two three four five six seven eight nine ten".split(),
    Lang.VI: "không một hai ba bốn năm sáu bảy tám chín mười".split(),
}
# Each language's own name, as the /lang buttons show it.
LANGUAGE_NAMES = {Lang.EN: "English", Lang.VI: "Tiếng Việt"}

TEXTS: dict[str, dict[Lang, str]] = {
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
    "missing_number": {
        Lang.EN: "The articles don't give a figure for the number or year in your question.",
        Lang.VI: "Các bài báo không có số liệu ứng với con số hay năm trong câu hỏi của bạn.",
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
    "start": {
        Lang.EN: "Hello! I answer questions about Vietnam's digital transformation and ICT "
        "policy from {count} news articles only. Every answer quotes the sentence it rests on "
        "and names the article.\n\n"
        "Ask in your own words, in English or Vietnamese, or tap an example below. "
        "/topics lists what I know, /sources shows the articles "
        "and /lang changes the language (English / Tiếng Việt).",
        Lang.VI: "Xin chào! Tôi trả lời câu hỏi về chuyển đổi số và chính sách CNTT-TT của "
        "Việt Nam, chỉ dựa trên {count} bài báo. Mỗi câu trả lời đều trích nguyên văn câu làm "
        "căn cứ và ghi rõ bài báo.\n\n"
        "Hãy hỏi bằng lời của bạn, bằng tiếng Việt hoặc tiếng Anh, hoặc bấm một câu hỏi mẫu "
        "bên dưới. /topics liệt kê các chủ đề, /sources cho biết các bài báo. "
        "/lang đổi ngôn ngữ (English / Tiếng Việt).",
    },
    "examples": {
        Lang.EN: "What is Decision 749?\n"
        "How many IT professionals does Vietnam have?\n"
        "What are the three pillars of digital transformation?",
        Lang.VI: "Quyết định 749 là gì?\n"
        "Việt Nam có bao nhiêu chuyên gia CNTT?\n"
        "Chuyển đổi số có mấy trụ cột?",
    },
    "commands": {Lang.EN: "Commands:", Lang.VI: "Các lệnh:"},
    "cmd_start": {Lang.EN: "What I know and how to ask", Lang.VI: "Giới thiệu và cách hỏi"},
    "cmd_help": {Lang.EN: "How to ask, with examples", Lang.VI: "Cách đặt câu hỏi, kèm ví dụ"},
    "cmd_topics": {Lang.EN: "Browse the topics I cover", Lang.VI: "Xem các chủ đề"},
    "cmd_sources": {
        Lang.EN: "The articles I answer from",
        Lang.VI: "Các bài báo làm nguồn trả lời",
    },
    "cmd_lang": {
        Lang.EN: "Language: English or Vietnamese",
        Lang.VI: "Ngôn ngữ: tiếng Việt hoặc tiếng Anh",
    },
    "lang_pick": {
        Lang.EN: "Which language should I use? Questions asked plainly in English or "
        "Vietnamese are answered in their own language; this one is for commands and "
        "for questions that could be either, such as a bare number.",
        Lang.VI: "Bạn muốn tôi dùng ngôn ngữ nào? Câu hỏi viết rõ bằng tiếng Việt hay "
        "tiếng Anh sẽ được trả lời bằng chính ngôn ngữ đó; lựa chọn này dùng cho các lệnh "
        "và cho câu hỏi không rõ ngôn ngữ, ví dụ chỉ một con số.",
    },
    "lang_set": {
        Lang.EN: "From now on I'll use English.",
        Lang.VI: "Từ giờ tôi sẽ dùng tiếng Việt.",
    },
    "cmd_about": {Lang.EN: "What this bot is and is not", Lang.VI: "Bot này là gì"},
    "about": {
        Lang.EN: "I only repeat what the articles say, with the quote and the source; "
        "I give no advice and no opinions, and I may be out of date.",
        Lang.VI: "Tôi chỉ nhắc lại điều các bài báo viết, kèm trích dẫn và nguồn; "
        "tôi không đưa ra lời khuyên hay ý kiến, và thông tin có thể đã cũ.",
    },
    "topics": {Lang.EN: "Pick a topic:", Lang.VI: "Chọn một chủ đề:"},
    "topic_questions": {Lang.EN: "Pick a question:", Lang.VI: "Chọn một câu hỏi:"},
    "back": {Lang.EN: "« All topics", Lang.VI: "« Tất cả chủ đề"},
    "sources": {
        Lang.EN: "I answer only from these {count} articles:",
        Lang.VI: "Tôi chỉ trả lời dựa trên {count} bài báo này:",
    },
    "non_text": {
        Lang.EN: "Please send me your question as text.",
        Lang.VI: "Vui lòng gửi câu hỏi của bạn dưới dạng văn bản.",
    },
    "stale_button": {
        Lang.EN: "This button is out of date. Ask again, or use /topics.",
        Lang.VI: "Nút này đã cũ. Hãy hỏi lại hoặc dùng /topics.",
    },
    # Feedback on answers (bot/telegram_bot/feedback.py): the pop-up after 👍 or 👎, the
    # one question after a 👎 (answered by replying to it) and the thanks for that note.
    "feedback_thanks": {Lang.EN: "Thanks for telling me.", Lang.VI: "Cảm ơn bạn đã cho biết."},
    "feedback_ask": {
        Lang.EN: "Sorry that didn't help. What were you looking for? If you like, reply to"
        " this message in a few words; or just ask again.",
        Lang.VI: "Xin lỗi vì câu trả lời chưa giúp được bạn. Bạn đang tìm thông tin gì? Nếu"
        " muốn, hãy trả lời tin nhắn này bằng vài từ; hoặc cứ hỏi lại.",
    },
    "feedback_placeholder": {
        Lang.EN: "What were you looking for?",
        Lang.VI: "Bạn đang tìm thông tin gì?",
    },
    "feedback_noted": {
        Lang.EN: "Thanks, noted: the people who keep me up to date read these notes.",
        Lang.VI: "Cảm ơn, tôi đã ghi lại: những người cập nhật cho tôi sẽ đọc các ghi chú này.",
    },
    "cmd_search": {Lang.EN: "Search the articles' sentences", Lang.VI: "Tìm câu trong các bài báo"},
    "cmd_timeline": {
        Lang.EN: "Dated events and targets, in order",
        Lang.VI: "Các mốc thời gian và mục tiêu, theo thứ tự",
    },
    "cmd_more": {Lang.EN: "The next page of a list", Lang.VI: "Trang tiếp theo của danh sách"},
    "cmd_quit": {Lang.EN: "Leave (also exit, Ctrl-D)", Lang.VI: "Thoát (hoặc exit, Ctrl-D)"},
    "search_usage": {
        Lang.EN: "Put the words to look for after /search, in English or Vietnamese, with or "
        "without accents, for example: /search e-government 2030",
        Lang.VI: "Hãy gõ các từ cần tìm sau /search, bằng tiếng Việt hoặc tiếng Anh, có dấu hay "
        "không dấu đều được, ví dụ: /search chính phủ điện tử",
    },
    "search_head": {
        Lang.EN: "Sentences with “{words}”, best first (page {page}):",
        Lang.VI: "Các câu có “{words}”, phù hợp nhất trước (trang {page}):",
    },
    "search_some": {
        Lang.EN: "No sentence holds all of those words; these hold some of them.",
        Lang.VI: "Không câu nào có đủ các từ này; dưới đây là các câu có một phần.",
    },
    "search_none": {
        Lang.EN: "No sentence of the articles holds “{words}”. Browse what they cover instead:",
        Lang.VI: "Không câu nào trong các bài báo có “{words}”. Hãy xem các chủ đề:",
    },
    "timeline_head": {
        Lang.EN: "Dated events and targets in the articles, in date order (page {page} of "
        "{pages}):",
        Lang.VI: "Các sự kiện và mục tiêu có mốc thời gian trong các bài báo, theo thứ tự "
        "(trang {page}/{pages}):",
    },
    "timeline_tap": {
        Lang.EN: "Tap a number for its quote and source.",
        Lang.VI: "Bấm một số để xem trích dẫn và nguồn.",
    },
    "timeline_type": {
        Lang.EN: "Type a number for its quote and source.",
        Lang.VI: "Gõ một số để xem trích dẫn và nguồn.",
    },
    "timeline_none": {
        Lang.EN: "The articles state no dated event for “{words}”. Try a year, such as "
        "/timeline 2025, or a topic: {topics}",
        Lang.VI: "Các bài báo không nêu sự kiện nào có mốc thời gian cho “{words}”. Hãy thử một "
        "năm, ví dụ /timeline 2025, hoặc một chủ đề: {topics}",
    },
    "more_hint": {Lang.EN: "Type /more for more.", Lang.VI: "Gõ /more để xem thêm."},
    "no_more": {
        Lang.EN: "Nothing more to show. Search with /search, or list dated events with /timeline.",
        Lang.VI: "Không còn gì để xem thêm. Hãy tìm với /search hoặc xem các mốc với /timeline.",
    },
    "topic_number": {
        Lang.EN: "Type a topic's number to see its questions.",
        Lang.VI: "Gõ số của một chủ đề để xem các câu hỏi.",
    },
    "question_number": {
        Lang.EN: "Type a question's number for its answer.",
        Lang.VI: "Gõ số của một câu hỏi để xem câu trả lời.",
    },
    "number_hint": {
        Lang.EN: "That number is not on the list above; type one of 1–{last}, or ask a question.",
        Lang.VI: "Số này không có trong danh sách trên; hãy gõ một số từ 1–{last}, hoặc đặt "
        "câu hỏi.",
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
    name = _MONTHS_EN[month - 1]
    return f"{day} {name} {year}" if day else f"{name} {year}"


def chat_text(chat: Chat, lang: Lang, count: int) -> str:
    """The reply to small talk; `count` is the number of articles the bot answers from."""
    return text(_CHAT_TEXT[chat], lang, count)


def format_date(day: date | None, lang: Lang) -> str:
    """'as reported on 15 October 2020', or 'date not printed'."""
    if day is None:
        return text("no_date", lang)
    shown = (
        f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
        if lang is Lang.EN
        else f"{day.day:02d}/{day.month:02d}/{day.year}"
    )
    return text("reported", lang).format(date=shown)


def related_news(publisher: str | None, lang: Lang) -> str:
    """What a citation from a related-news teaser says about itself."""
    if publisher is None:
        return text("related_news_page", lang)
    return text("related_news", lang).format(publisher=publisher)
