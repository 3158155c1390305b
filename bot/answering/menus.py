"""The fixed texts of the commands and what they show, in English and Vietnamese:
/start, /help's menu, /topics, /sources, /about, /lang, /search, /timeline, the
console's lists, and the feedback on answers.

Read through `messages.text`, like every fixed text; `{count}` is the number of
articles.
"""

from __future__ import annotations

from bot.models import Lang

MENUS: dict[str, dict[Lang, str]] = {
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
}
