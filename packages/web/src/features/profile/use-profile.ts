import type { Me, User } from '@rapport/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { ME_KEY } from '../../app/session';
import { useToast } from '../../components/toast-center';
import { useErrorText } from '../../components/error-text';
import { applyLanguage, currentLanguage, type Language } from '../../i18n/i18n';

export interface ProfilePatch {
  name?: string;
  locale?: Language;
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ProfilePatch) => api<User>('PATCH', '/auth/me', { body: patch }),
    onSuccess: (user) => {
      queryClient.setQueryData<Me | null>(ME_KEY, (me) => (me ? { ...me, user: { ...me.user, name: user.name, locale: user.locale } } : me));
    },
  });
}

/** Switches the language at once and stores it on the user, so every device opens in it. */
export function useChangeLanguage(): (language: Language) => void {
  const update = useUpdateProfile();
  const toast = useToast();
  const errorText = useErrorText();
  return (language) => {
    const previous = currentLanguage();
    if (previous === language) return;
    void applyLanguage(language);
    update.mutate(
      { locale: language },
      {
        onError: (error) => {
          void applyLanguage(previous);
          toast({ color: 'red', message: errorText(error) });
        },
      },
    );
  };
}
