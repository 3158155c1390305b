"""The question mix the latency benchmark replays: about what people send the bot.

Written for the benchmark (not taken from the labelled test sets), in the shares a
public bot sees: mostly questions it can answer, some with typos, a good part in
Vietnamese with and without accents, questions it cannot answer, and chatter.
"""

from __future__ import annotations

ANSWERS = (
    "When did the PM approve the national digital transformation programme?",
    "how many tech companies does vietnam have",
    "Which e-government rank is Vietnam aiming for by 2030?",
    "What percentage of GDP should the digital economy be in 2030?",
    "who is nguyen manh hung",
    "What is UNDP doing in Vietnam?",
    "what are the 3 pillars of the digital transformation program",
    "Tell me about Resolution 52",
    "what did decision 749 approve",
    "How will Vietnam avoid the middle income trap?",
    "what share of people will have e-payment accounts",
    "Vietnam cybersecurity ranking goal",
    "how many online trade promotion conferences were held",
    "How many workers are employed by digital tech firms?",
    "when was the national public service portal launched",
    "What's VietNEST?",
    "Where is Vietnam's first nuclear plant going to be?",
    "when will vietnam reach net zero",
    "When will Vietnam be self-sufficient in chips?",
    "What is Resolution 57?",
    "how fast should internet be in vietnam",
    "When does 5G cover the whole country?",
    "What does public service level 4 mean",
    "What is Make in Vietnam?",
    "How much revenue did the ICT industry make?",
    "how many IT professionals does Vietnam have",
    "Which countries use electronic procurement?",
    "what is doctors for every home",
    "In how many provinces is Doctors for Every Home running?",
    "What was Vietnam's e-government rank in 2022?",
    "who organised the ICT strategy roundtables",
    "Who is Jordan Ryan?",
    "what is the PAPI index",
    "When is ITU Virtual Digital World 2020 held?",
    "Where will ITU Digital World 2021 take place?",
    "What is Vietnam's population?",
    "What does the HCMC smart city operations centre cost?",
    "Why do people in rural areas still prefer cash?",
)

TYPOS = (
    "how many tehcnology compnies in vietnam",
    "wat is decison 749",
    "vietnam cyber securty target",
    "who is nguyen manh hugn",
    "when did the prime minster sign the programme",
    "what is the nationl public servise portal",
    "how many docters for every home acounts",
    "semiconducter self reliance 2027",
    "what is the make in vietnm initiativ",
    "internet sped target for vietnam",
    "telehealth benifits",
    "e-goverment ranking 2030 targte",
)

VIETNAMESE = (
    "Thủ tướng phê duyệt chương trình chuyển đổi số quốc gia năm nào?",
    "Việt Nam có bao nhiêu doanh nghiệp công nghệ số?",
    "Nguyễn Mạnh Hùng là ai?",
    "Ba trụ cột của chuyển đổi số quốc gia là gì?",
    "Nghị quyết 52 là gì?",
    "Bao nhiêu phần trăm dân số có tài khoản thanh toán điện tử?",
    "Cổng dịch vụ công quốc gia khai trương khi nào?",
    "Khi nào Việt Nam tự chủ được chip bán dẫn?",
    "Nhà máy điện hạt nhân đầu tiên xây ở đâu?",
    "Khi nào 5G phủ sóng toàn quốc?",
    "Bác sĩ cho mọi nhà là gì?",
    "Việt Nam có bao nhiêu nhân lực công nghệ thông tin?",
    "Dân số Việt Nam bao nhiêu?",
    "Y tế từ xa có lợi ích gì?",
    "Chiến lược CNTT năm 2003 là gì?",
)

VIETNAMESE_UNACCENTED = (
    "thu tuong phe duyet chuong trinh chuyen doi so khi nao",
    "viet nam co bao nhieu doanh nghiep cong nghe so",
    "nguyen manh hung la ai",
    "nghi quyet 57 la gi",
    "quyet dinh 749 la gi",
    "muc tieu xep hang chinh phu dien tu nam 2030",
    "kinh te so chiem bao nhieu phan tram gdp",
    "viet nam cam ket phat thai rong bang 0 nam nao",
    "bac si cho moi nha trien khai o bao nhieu tinh",
    "toc do internet trung binh muc tieu la bao nhieu",
    "sang kien make in vietnam la gi",
    "dau thau dien tu co loi ich gi",
    "vi sao nguoi dan nong thon thich tien mat",
    "ITU Digital World 2021 to chuc o dau",
)

OUT_OF_SCOPE = (
    "Thailand visa requirements for tourists",
    "who won the 2022 world cup",
    "what's the weather in Hanoi tomorrow",
    "How many nuclear reactors does France have?",
    "What is the capital of Australia?",
    "best pho restaurant in saigon",
    "How do I renew my passport?",
    "what is the exchange rate of the dong to the dollar",
    "Who is the CEO of Apple?",
    "Giá vàng hôm nay bao nhiêu?",
    "thoi tiet ha noi ngay mai",
    "How much did Vietnam spend on the 2018 Asian Games?",
    "Recommend a good laptop for programming",
    "how tall is the Landmark 81 tower",
    "bitcoin price prediction",
)

SMALLTALK = (
    "hello",
    "thanks!",
    "xin chào",
    "cảm ơn bạn",
    "what can you do?",
    "bye",
)

MIX: tuple[tuple[str, str], ...] = (
    *(("answer", q) for q in ANSWERS),
    *(("typo", q) for q in TYPOS),
    *(("vi", q) for q in VIETNAMESE),
    *(("vi-no-accents", q) for q in VIETNAMESE_UNACCENTED),
    *(("out-of-scope", q) for q in OUT_OF_SCOPE),
    *(("smalltalk", q) for q in SMALLTALK),
)
"""(category, question) pairs, 100 in all."""
