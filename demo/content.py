"""Demo commentaries, written for this project: fictional authors, plausible subjects."""

AUTHORS = [
    {
        "slug": "haruka-mori",
        "name_ja": "森 遥",
        "name_en": "Haruka Mori",
        "bio_ja": "国家基本問題研究所企画委員、港南大学教授（国際政治学）",
        "bio_en": "Planning Committee Member at the Japan Institute for National Fundamentals "
        "and Professor of International Politics at Konan-Minato University",
        "colour": (20, 50, 92),
    },
    {
        "slug": "kenji-takeda",
        "name_ja": "武田 健二",
        "name_en": "Kenji Takeda",
        "bio_ja": "国家基本問題研究所研究員、元海上自衛隊海将補",
        "bio_en": "Research Fellow at the Japan Institute for National Fundamentals and a "
        "retired Rear Admiral of the Japan Maritime Self-Defense Force",
        "colour": (163, 38, 42),
    },
    {
        "slug": "naoko-onodera",
        "name_ja": "小野寺 直子",
        "name_en": "Naoko Onodera",
        "bio_ja": "国家基本問題研究所研究員（エネルギー・経済安全保障）",
        "bio_en": "Research Fellow at the Japan Institute for National Fundamentals, "
        "working on energy and economic security",
        "colour": (46, 110, 80),
    },
]

SERIES = [
    {
        "slug": "speaking-out",
        "name_ja": "今週の直言",
        "name_en": "Speaking Out",
        "description_ja": "研究所の研究員・企画委員が、時事問題について毎週率直に提言します。",
        "description_en": "A weekly commentary in which the institute's fellows speak plainly "
        "about the issues of the day.",
    },
    {
        "slug": "research-notes",
        "name_ja": "研究ノート",
        "name_en": "Research Notes",
        "description_ja": "時間をかけて調べた論点を、少し長めの論考でまとめます。",
        "description_en": "Longer pieces that set out research on a single question.",
    },
]

# Each entry: series, number, authors, tags, then one dict per language. "state" is
# "published" (default), "draft", "review" or "scheduled"; "weeks_ago" places it in the
# archive; "owner" is the demo login that wrote it (else the editor); "pending_lead_<lang>"
# is an unpublished change waiting on a live piece.
COMMENTARIES = [
    {
        "series": "speaking-out",
        "number": 101,
        "authors": ["kenji-takeda"],
        "tags": ["Maritime security", "Indo-Pacific"],
        "weeks_ago": 9,
        "image": {
            "ja": ("夜明けの海と水平線を描いた図", "図版: 研究所"),
            "en": ("A drawing of the sea and the horizon at dawn", "Illustration: the institute"),
        },
        "ja": {
            "title": "シーレーンの監視は一国では担えない",
            # Leads in the lead's schema (core/lead.py) or plain text, which is saved as such.
            "lead": "<p>海上交通路の安全は、<strong>同志国との情報共有と役割分担</strong>"
            "によってしか保てない。</p>",
            # In the editor's schema (core/body.py): footnotes and a table, as staff write them.
            "body": (
                "<p>日本の輸入の大半は海を渡ってくる。エネルギーも食料も、シーレーンが途切れれば"
                "数週間で生活に響く。<span data-footnote>原油輸入の9割以上が中東から海路で"
                "運ばれている（資源エネルギー庁『エネルギー白書』）。</span></p>"
                "<h2>監視の穴は広がっている</h2>"
                "<p>近年、周辺海域では無人機や民兵船の活動が増え、従来の哨戒機と護衛艦だけでは"
                "全体像をつかみにくくなった。監視の穴を埋めるには、衛星と無人機を組み合わせた"
                "新しい態勢が要る。</p>"
                "<table><tbody><tr><th>手段</th><th>長所</th><th>短所</th></tr>"
                "<tr><td>哨戒機</td><td>即応性</td><td>滞空時間が短い</td></tr>"
                "<tr><td>衛星</td><td>広い範囲</td><td>再訪に間がある</td></tr>"
                "<tr><td>無人機</td><td>長時間の監視</td><td>悪天候に弱い</td></tr>"
                "</tbody></table>"
                "<h2>同志国と役割を分けよ</h2>"
                "<p>すべてを自前でそろえる必要はない。豪州やフィリピン、インドと監視情報を"
                "日常的に共有し、海域ごとに責任を分担すれば、限られた装備でも抑止は効く。"
                "<span data-footnote>日米豪印（クアッド）は2022年に海洋状況把握の枠組み"
                "IPMDAを立ち上げた。</span></p>"
            ),
        },
        "en": {
            "title": "No Country Can Watch the Sea Lanes Alone",
            "lead": "<p>The safety of sea lanes can only be kept by <strong>sharing "
            "information</strong> and dividing roles with <em>like-minded partners</em>.</p>",
            "body": (
                "<p>Most of what Japan imports crosses the sea. If the sea lanes were cut, "
                "energy and food shortages would be felt within weeks.<span data-footnote>Over "
                "90 per cent of Japan's crude oil comes from the Middle East by sea (Agency for "
                "Natural Resources and Energy, Energy White Paper).</span></p>"
                "<h2>Gaps in surveillance are widening</h2>"
                "<p>Drones and maritime militia vessels have become more active in nearby "
                "waters, and patrol aircraft and destroyers alone can no longer give a full "
                "picture. Closing the gaps calls for a new posture that combines satellites "
                "and unmanned systems.</p>"
                "<table><tbody><tr><th>Means</th><th>Strength</th><th>Weakness</th></tr>"
                "<tr><td>Patrol aircraft</td><td>Quick response</td><td>Short endurance</td></tr>"
                "<tr><td>Satellites</td><td>Wide coverage</td><td>Gaps between passes</td></tr>"
                "<tr><td>Drones</td><td>Long watch</td><td>Weather</td></tr>"
                "</tbody></table>"
                "<h2>Divide the work with partners</h2>"
                "<p>Japan need not own everything itself. Sharing surveillance data daily with "
                "Australia, the Philippines and India, and dividing responsibility by sea "
                "area, would let limited assets still deter.<span data-footnote>The Quad "
                "launched its maritime domain awareness initiative, IPMDA, in 2022.</span></p>"
            ),
        },
    },
    {
        "series": "speaking-out",
        "number": 102,
        "authors": ["naoko-onodera"],
        "tags": ["Energy", "Economic security"],
        "weeks_ago": 8,
        "ja": {
            "title": "液化天然ガスの備蓄を戦略物資として扱え",
            "lead": "LNGは長期保存が難しいが、だからこそ国が在庫の底を定めるべきだ。",
            "body": (
                "石油には法定の備蓄制度があるが、液化天然ガスにはそれに当たる仕組みがない。"
                "発電の三割以上をガスに頼る国として、これは大きな弱点である。\n\n"
                "## 在庫の底を決める\n\n"
                "LNGは気化するため長くは貯められない。それでも、電力会社とガス会社に"
                "最低在庫を課し、費用の一部を国が負担する制度は作れる。\n\n"
                "## 調達先の分散も急務だ\n\n"
                "特定の海峡を通る調達に偏れば、封鎖一つで供給が止まる。長期契約の相手先を"
                "広げることは、備蓄と並ぶ安全保障政策である。"
            ),
        },
        "en": {
            "title": "Treat LNG Stockpiles as a Strategic Reserve",
            "lead": "Liquefied natural gas is hard to store for long, which is exactly why "
            "the state should set a floor on stocks.",
            "body": (
                "Oil has a statutory reserve system; liquefied natural gas has nothing "
                "comparable. For a country that relies on gas for more than 30% of its "
                "power generation, this is a serious weakness.\n\n"
                "## Set a floor on stocks\n\n"
                "LNG boils off, so it cannot be kept for long. Still, a scheme that requires "
                "power and gas utilities to hold minimum stocks, with the state bearing part "
                "of the cost, can be built.\n\n"
                "## Diversify suppliers, too\n\n"
                "If procurement leans on routes through a single strait, one blockade stops "
                "supply. Widening the circle of long-term contract partners is as much a "
                "security policy as stockpiling."
            ),
        },
    },
    {
        "series": "speaking-out",
        "number": 103,
        "authors": ["naoko-onodera", "haruka-mori"],
        "tags": ["Semiconductors", "Economic security", "Supply chains"],
        "weeks_ago": 7,
        "ja": {
            "title": "半導体の補助金は人材育成と一体で",
            "lead": "工場を誘致しても、技術者が育たなければ供給網は強くならない。",
            "body": (
                "政府は先端半導体工場の誘致に巨額の補助金を投じている。方向は正しいが、"
                "設備だけでは産業は根付かない。\n\n"
                "## 技術者の不足\n\n"
                "製造装置を動かし、歩留まりを上げる技術者は国内で不足している。大学と高専の"
                "定員を増やし、企業の現場と結んだ教育課程を整えるべきだ。\n\n"
                "## 同盟国との分業\n\n"
                "すべての工程を国内で賄うことは現実的でない。米国や台湾、欧州と得意分野を"
                "分け合い、有事にも止まらない供給網を共同で設計する必要がある。"
            ),
        },
        "en": {
            "title": "Chip Subsidies Must Go Hand in Hand With Training Engineers",
            "lead": "Attracting fabs will not strengthen supply chains unless engineers are "
            "trained to run them.",
            "body": (
                "The government is spending heavily to attract leading-edge chip plants. The "
                "direction is right, but equipment alone does not root an industry.\n\n"
                "## A shortage of engineers\n\n"
                "Japan lacks the engineers who run fabrication tools and raise yields. "
                "Universities and technical colleges should take in more students, with "
                "courses tied to the factory floor.\n\n"
                "## Dividing work among allies\n\n"
                "Doing every step at home is unrealistic. Japan should share specialisations "
                "with the United States, Taiwan and Europe and jointly design supply chains "
                "that keep running in a crisis."
            ),
        },
    },
    {
        "series": "speaking-out",
        "number": 104,
        "authors": ["haruka-mori"],
        "tags": ["Cyber", "Law"],
        "weeks_ago": 6,
        "ja": {
            "title": "能動的サイバー防御の法整備を急げ",
            "lead": "攻撃を受けてから対処する体制では、重要インフラを守りきれない。",
            "body": (
                "電力や通信、病院を狙うサイバー攻撃は年々巧妙になっている。現行法では、"
                "攻撃の兆候をつかんでも先手を打つことが難しい。\n\n"
                "## 通信の監視と権限\n\n"
                "攻撃元のサーバーを特定し無力化するには、一定の通信情報を扱う権限が要る。"
                "独立した監督機関を置き、乱用を防ぐ仕組みと併せて認めるべきだ。\n\n"
                "## 官民の連携\n\n"
                "インフラの多くは民間が運営している。被害情報を速やかに共有する義務と、"
                "共有した企業を守る免責の規定を用意したい。"
            ),
        },
        "en": {
            "title": "Japan Needs a Legal Basis for Active Cyber Defence Now",
            "lead": "A posture that only responds after an attack cannot protect critical "
            "infrastructure.",
            "body": (
                "Cyberattacks on power grids, telecoms and hospitals grow more sophisticated "
                "every year. Under current law, it is hard to act first even when the signs of "
                "an attack are clear.\n\n"
                "## Monitoring and its limits\n\n"
                "Identifying and neutralising attacking servers requires authority to handle "
                "some communications data. That authority should be granted together with an "
                "independent overseer that guards against abuse.\n\n"
                "## Public and private sectors together\n\n"
                "Most infrastructure is run by private companies. The law should oblige them "
                "to share incident data quickly, and shield those that do."
            ),
        },
    },
    {
        "series": "speaking-out",
        "number": 105,
        "authors": ["haruka-mori"],
        "tags": ["Constitution"],
        "weeks_ago": 5,
        "owner": "demo-writer",
        "pending_lead_ja": "改正の議論は、条文の文言より先に、何を守るのかから始めるべきだ。",
        "ja": {
            "title": "緊急事態条項の議論を先送りするな",
            "lead": "大規模災害や有事に国会が開けない事態を、憲法は想定していない。",
            "body": (
                "首都直下地震のような大災害で選挙が実施できなくなった場合、議員の任期を"
                "どう扱うのか。現行憲法はこの問いに答えていない。\n\n"
                "## 任期延長の規定\n\n"
                "多くの民主国家は、非常時に議会の任期を延ばす規定を持つ。濫用を防ぐため、"
                "期間と要件を厳しく定めた上で導入を議論すべきだ。\n\n"
                "## 国民的な議論を\n\n"
                "条文の細部より先に、なぜ必要かを国民と共有することが欠かせない。"
            ),
        },
    },
    {
        "series": "speaking-out",
        "number": 106,
        "authors": ["kenji-takeda"],
        "tags": ["Defence", "Demography"],
        "weeks_ago": 4,
        "en_state": "review",
        "owner": "demo-writer",
        "ja": {
            "title": "人口減少時代の自衛隊の人員確保",
            "lead": "募集難は一時的な現象ではない。処遇と任務の見直しが必要だ。",
            "body": (
                "自衛隊の採用計画は数年続けて未達となっている。18歳人口が減り続ける以上、"
                "この傾向は構造的なものだ。\n\n"
                "## 処遇の改善\n\n"
                "給与や住環境だけでなく、退職後の再就職支援を手厚くすることが志願者を"
                "増やす近道である。\n\n"
                "## 省人化を前提に\n\n"
                "無人機や自動化を進め、少ない人数でも任務を果たせる部隊構成へと"
                "切り替えるべきだ。"
            ),
        },
        "en": {
            "title": "Staffing the Self-Defense Forces as the Population Shrinks",
            "lead": "Recruiting shortfalls are not temporary. Pay and missions need a rethink.",
            "body": (
                "The Self-Defense Forces have missed recruiting targets for several years in a "
                "row. With the number of 18-year-olds falling, the trend is structural.\n\n"
                "## Better terms of service\n\n"
                "Beyond pay and housing, stronger support for finding work after service is "
                "the quickest way to attract applicants.\n\n"
                "## Planning for fewer people\n\n"
                "The forces should move to unit structures that can carry out their missions "
                "with fewer people, through drones and automation."
            ),
        },
    },
    {
        "series": "speaking-out",
        "number": 107,
        "authors": ["kenji-takeda", "haruka-mori"],
        "tags": ["Taiwan", "Indo-Pacific", "Deterrence"],
        "weeks_ago": -1,
        "ja_state": "scheduled",
        "en_state": "scheduled",
        "ja": {
            "title": "台湾海峡の抑止は日常の備えから",
            "lead": "抑止は演習の規模ではなく、平時の継続的な準備によって信頼性を得る。",
            "body": (
                "台湾海峡をめぐる緊張は、目に見える危機よりも日々の小さな圧力として"
                "積み重なっている。\n\n"
                "## 平時の準備\n\n"
                "南西諸島の住民避難計画、港湾と空港の共同使用、弾薬の備蓄。いずれも"
                "平時に進めておかなければ間に合わない。\n\n"
                "## 同盟の意思表示\n\n"
                "日米の共同計画を具体化し、その存在を相手に理解させることが抑止の核心である。"
            ),
        },
        "en": {
            "title": "Deterrence in the Taiwan Strait Starts With Everyday Preparation",
            "lead": "Deterrence earns credibility from steady preparation in peacetime, not "
            "from the size of exercises.",
            "body": (
                "Tension over the Taiwan Strait builds up less through visible crises than "
                "through small daily pressures.\n\n"
                "## Preparing in peacetime\n\n"
                "Evacuation plans for the Nansei Islands, shared use of ports and airports, "
                "and ammunition stocks all have to be in place before they are needed.\n\n"
                "## Showing the alliance's resolve\n\n"
                "Making joint Japan-U.S. plans concrete, and making sure the other side "
                "understands they exist, is the core of deterrence."
            ),
        },
    },
    {
        "series": "speaking-out",
        "number": 108,
        "authors": ["naoko-onodera"],
        "tags": ["Food security"],
        "weeks_ago": 0,
        "ja_state": "draft",
        "owner": "demo-writer",
        "ja": {
            "title": "食料安全保障と農地の維持",
            "lead": "輸入に頼る食料供給を、平時から見直す必要がある。",
            "body": (
                "カロリーベースの自給率は長く低迷している。農地が失われれば、"
                "いざという時に増産はできない。\n\n"
                "## 農地を守る制度\n\n"
                "耕作放棄地を集約し、若い担い手に引き継ぐ仕組みを整えたい。"
            ),
        },
    },
    {
        "series": "research-notes",
        "number": 1,
        "authors": ["haruka-mori"],
        "tags": ["Russia", "Diplomacy"],
        "weeks_ago": 3,
        "ja": {
            "title": "対立を演出しつつ関係を調整する大国外交",
            "lead": "首脳同士の強い言葉の裏で、実務レベルの対話は続いていることが多い。",
            "body": (
                "大国間の関係は、表の対立と裏の調整という二層で動くことがある。\n\n"
                "## 国内向けの強硬姿勢\n\n"
                "指導者は国内の支持を固めるために対立を強調することがある。だがそれは、"
                "交渉の扉を閉じたことを意味しない。\n\n"
                "## 実務の対話\n\n"
                "作業部会や特使といった実務の枠組みが設けられているかどうかを見れば、"
                "関係の行方をより正確に読み取れる。"
            ),
        },
        "en": {
            "title": "Great Powers Stage Confrontation While Adjusting Relations",
            "lead": "Behind strong words between leaders, working-level talks often go on.",
            "body": (
                "Relations between great powers can move on two layers: confrontation in "
                "public and adjustment behind the scenes.\n\n"
                "## Hard lines for home audiences\n\n"
                "Leaders may stress confrontation to shore up support at home. That does not "
                "mean they have closed the door to negotiation.\n\n"
                "## Working-level dialogue\n\n"
                "Whether working groups or special envoys have been set up tells more about "
                "where the relationship is going than the headlines do."
            ),
        },
    },
    {
        # A note with a figure (a chart drawn at seed time, kept in the media library and
        # shown in both languages), a table and footnotes; "{figure}" marks where the
        # figure goes (seed_demo writes it, with the image's number in the library).
        "series": "research-notes",
        "number": 2,
        "authors": ["naoko-onodera"],
        "tags": ["Energy", "Economic security"],
        "weeks_ago": 1,
        "figure": {
            "ja": (
                "四つの棒グラフ。左から右へ低くなり、最後の棒がいちばん低い。",
                "在庫日数の考え方を示す模式図（数値は説明のためのもの）",
            ),
            "en": (
                "Four bars, each lower than the one before it; the last is the lowest.",
                "A schematic of days of cover (the values are illustrative)",
            ),
            "credit": "Chart: the institute",
        },
        "ja": {
            "title": "「何日分の備蓄」をどう読むか",
            "lead": "備蓄の日数は、数える範囲と取り崩しの速さで大きく変わる。"
            "数字の前提を確かめたい。",
            "body": (
                "エネルギー政策の議論では「何日分の備蓄がある」という言い方がよく使われる。"
                "だがこの日数は、何を分母に取るかで意味が変わる[^1]。\n\n"
                "## 日数は前提で動く\n\n"
                "平時の消費量で割るのか、非常時に絞り込んだ消費量で割るのかで、同じ在庫でも"
                "日数は大きく違って見える。下の図は、その考え方を模式的に示したものである。\n\n"
                "{figure}\n\n"
                "## 燃料ごとの違い\n\n"
                "| 燃料 | 貯めやすさ | 主な担い手 |\n"
                "| --- | --- | --- |\n"
                "| 石油 | 長期保存ができる | 国と民間 |\n"
                "| LNG | 気化するため長くは貯められない | 主に事業者 |\n"
                "| 石炭 | 屋外でも保管できる | 主に発電事業者 |\n\n"
                "日数の数字を見るときは、分母と、取り崩しの順番がどう想定されているかを"
                "あわせて確かめたい[^2]。\n\n"
                "[^1]: ここでの「分母」は、一日あたりの消費量の見積もりを指す。\n"
                "[^2]: 取り崩しの順番は、どの用途を先に守るかという政策判断でもある。"
            ),
        },
        "en": {
            "title": "How to Read “Days of Stockpile”",
            "lead": "Days of cover change with what is counted and how fast stocks are drawn "
            "down. Check the assumptions before the number.",
            "body": (
                "Energy debates often speak of a country holding “so many days” of stocks. "
                "Yet the number means different things depending on what it is divided "
                "by.[^1]\n\n"
                "## The days move with the assumptions\n\n"
                "Divide the same stock by everyday consumption or by the reduced consumption "
                "of an emergency, and the days look very different. The chart below shows the "
                "idea in outline.\n\n"
                "{figure}\n\n"
                "## Each fuel is different\n\n"
                "| Fuel | How well it keeps | Who mainly holds it |\n"
                "| --- | --- | --- |\n"
                "| Oil | Keeps for years | The state and companies |\n"
                "| LNG | Boils off; cannot be kept long | Mostly utilities |\n"
                "| Coal | Can be stored in the open | Mostly power companies |\n\n"
                "When reading a figure of days, check the divisor and the order in which "
                "stocks are assumed to be drawn down.[^2]\n\n"
                "[^1]: The divisor here is the estimate of consumption per day.\n"
                "[^2]: The order of drawdown is itself a policy choice: which uses to protect "
                "first."
            ),
        },
    },
]

TAG_NAMES_JA = {
    # English name: (Japanese name, its reading, by which Japanese lists are sorted)
    "Maritime security": ("海洋安全保障", "かいようあんぜんほしょう"),
    "Indo-Pacific": ("インド太平洋", "いんどたいへいよう"),
    "Energy": ("エネルギー", "えねるぎー"),
    "Economic security": ("経済安全保障", "けいざいあんぜんほしょう"),
    "Semiconductors": ("半導体", "はんどうたい"),
    "Supply chains": ("供給網", "きょうきゅうもう"),
    "Cyber": ("サイバー", "さいばー"),
    "Law": ("法制度", "ほうせいど"),
    "Constitution": ("憲法", "けんぽう"),
    "Defence": ("防衛", "ぼうえい"),
    "Demography": ("人口", "じんこう"),
    "Taiwan": ("台湾", "たいわん"),
    "Deterrence": ("抑止", "よくし"),
    "Food security": ("食料安全保障", "しょくりょうあんぜんほしょう"),
    "Russia": ("ロシア", "ろしあ"),
    "Diplomacy": ("外交", "がいこう"),
}
