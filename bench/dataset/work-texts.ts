import type { Locale } from '@rapport/shared';

/** Words of the generated activities and tasks, per workspace language: a few of each, so rows have realistic sizes. */
export interface WorkTexts {
  callSubjects: string[];
  callNotes: string[];
  meetingSubjects: string[];
  meetingNotes: string[];
  places: string[];
  emailSubjects: string[];
  emailBodies: string[];
  sms: string[];
  notes: string[];
  taskTitles: string[];
  taskDescriptions: string[];
}

const EN: WorkTexts = {
  callSubjects: ['Follow-up call', 'Intro call', 'Pricing questions', 'Renewal check-in', 'Delivery status'],
  callNotes: [
    'Discussed the current order and next delivery window. Will send the updated quote by Friday.',
    'No decision yet; the budget is approved next month. Call back in two weeks.',
    'Asked for references from customers in their industry.',
    'Happy with the pilot, wants to extend to the second warehouse.',
    'Left a voicemail, will try again tomorrow morning.',
  ],
  meetingSubjects: ['Product demo', 'Contract review', 'Quarterly business review', 'Onboarding session', 'Site visit', 'Negotiation'],
  meetingNotes: [
    'Walked through the roadmap and the integration plan. Their IT team joins the next session.',
    'Agreed on payment terms: 30 days net, 5 % discount for the annual plan.',
    'Procurement wants a second vendor quote before signing.',
  ],
  places: ['Their office', 'Our office', 'Video call', 'Conference room B', 'Trade fair booth'],
  emailSubjects: ['Quote for your request', 'Re: delivery schedule', 'Invoice and payment details', 'Meeting summary', 'Welcome aboard', 'Re: contract draft', 'Price list 2026'],
  emailBodies: [
    'Hello,\n\nplease find attached the quote we discussed on the phone. Prices are valid for thirty days; delivery takes two weeks from payment.\n\nBest regards',
    'Hi,\n\nthanks for the meeting today. As agreed, we will prepare the pilot for the first site and send the schedule early next week. Let me know if anything is missing.\n\nKind regards',
    'Good afternoon,\n\nthe invoice for the last order is attached. Payment details are in the document; please mention the invoice number in the transfer.\n\nThank you',
    'Hello,\n\nwe have reviewed the contract draft. Our lawyers suggest two changes in section 4 (liability) and one in the appendix; the marked-up copy is attached.\n\nBest',
  ],
  sms: ['Running 10 minutes late, sorry!', 'Your order has shipped, tracking number in the e-mail.', 'Can we move our call to 3 pm?', 'Thanks, received.', 'Reminder: our meeting tomorrow at 11.'],
  notes: [
    'Decision maker is the CFO; the head of operations influences strongly.',
    'Prefers e-mail over calls. Do not call before 10 am.',
    'Budget cycle starts in October. Competitor contract ends in December.',
    'Met at the trade fair, interested in the enterprise plan.',
    'Asked to be removed from the newsletter but keep the account updates.',
  ],
  taskTitles: ['Call back', 'Send the quote', 'Prepare the contract', 'Follow up on the invoice', 'Book the demo', 'Update the account plan', 'Check the delivery', 'Quarterly report', 'Collect feedback'],
  taskDescriptions: ['Use the new price list.', 'Check with finance before sending.', 'They asked for a call after lunch.', 'Attach the signed NDA.'],
};

const RU: WorkTexts = {
  callSubjects: ['Повторный звонок', 'Знакомство', 'Вопросы по цене', 'Продление договора', 'Статус поставки'],
  callNotes: [
    'Обсудили текущий заказ и окно следующей поставки. Пришлю обновлённое КП до пятницы.',
    'Решения пока нет, бюджет утверждают в следующем месяце. Перезвонить через две недели.',
    'Просили контакты клиентов из их отрасли для отзывов.',
    'Пилотом довольны, хотят расширить на второй склад.',
    'Оставил голосовое сообщение, попробую завтра утром.',
  ],
  meetingSubjects: ['Демонстрация продукта', 'Согласование договора', 'Квартальная встреча', 'Обучение', 'Выезд на объект', 'Переговоры'],
  meetingNotes: [
    'Прошли по плану внедрения и интеграции. На следующую встречу подключится их ИТ-отдел.',
    'Договорились об оплате: отсрочка 30 дней, скидка 5 % за годовой тариф.',
    'Закупки хотят второе коммерческое предложение перед подписанием.',
  ],
  places: ['Офис клиента', 'Наш офис', 'Видеозвонок', 'Переговорная Б', 'Стенд на выставке'],
  emailSubjects: ['КП по вашему запросу', 'Re: график поставок', 'Счёт и реквизиты', 'Итоги встречи', 'Добро пожаловать', 'Re: проект договора', 'Прайс-лист 2026'],
  emailBodies: [
    'Здравствуйте!\n\nВо вложении коммерческое предложение, которое мы обсуждали по телефону. Цены действуют тридцать дней, поставка — две недели после оплаты.\n\nС уважением',
    'Добрый день!\n\nСпасибо за встречу. Как договорились, готовим пилот на первой площадке и пришлём график в начале следующей недели. Напишите, если что-то упустили.\n\nС уважением',
    'Добрый день!\n\nВо вложении счёт за последний заказ. Реквизиты указаны в документе; пожалуйста, укажите номер счёта в назначении платежа.\n\nСпасибо',
    'Здравствуйте!\n\nМы посмотрели проект договора. Юристы предлагают две правки в разделе 4 (ответственность) и одну в приложении; копия с правками во вложении.\n\nВсего доброго',
  ],
  sms: ['Опаздываю на 10 минут, извините!', 'Ваш заказ отправлен, трек-номер в письме.', 'Можем перенести звонок на 15:00?', 'Спасибо, получили.', 'Напоминаю: встреча завтра в 11.'],
  notes: [
    'Решение принимает финансовый директор, сильно влияет руководитель производства.',
    'Предпочитает почту звонкам. Не звонить до 10 утра.',
    'Бюджетный цикл начинается в октябре. Договор с конкурентом заканчивается в декабре.',
    'Познакомились на выставке, интересует корпоративный тариф.',
    'Просил не присылать рассылку, но оставить уведомления по аккаунту.',
  ],
  taskTitles: ['Перезвонить', 'Отправить КП', 'Подготовить договор', 'Проверить оплату счёта', 'Назначить демонстрацию', 'Обновить план по клиенту', 'Проверить поставку', 'Квартальный отчёт', 'Собрать обратную связь'],
  taskDescriptions: ['Использовать новый прайс-лист.', 'Согласовать с финансами перед отправкой.', 'Просили позвонить после обеда.', 'Приложить подписанное NDA.'],
};

export const WORK_TEXTS: Record<Locale, WorkTexts> = { en: EN, ru: RU };
